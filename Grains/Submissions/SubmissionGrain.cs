using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Submissions;
using CityArray.Grains.Retention;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CityArray.Grains.Submissions;

/// <summary>
/// One attendee submission (state <c>submission</c>). It is stored, then filed in the moderation queue, then announced to
/// dashboards. Approving sends <c>"{name}: {text}"</c> through the ordinary message path (<see cref="IMessageGrain"/>) under
/// the id <c>msg-{submission id}</c>, so a retried approval never sends a second message. A decided submission is
/// deleted (and leaves the queue) <see cref="RetentionOptions.Submissions"/> after its decision.
/// </summary>
public sealed class SubmissionGrain(
    [PersistentState("submission", StorageNames.Grains)] IPersistentState<SubmissionState> state,
    CityArrayClock clock,
    ILogger<SubmissionGrain> logger,
    IOptions<RetentionOptions> retention,
    IOptions<ReminderOptions> reminders)
    : Grain, ISubmissionGrain, IRemindable
{
    /// <summary>Retention: a decided submission leaves the moderation queue, then its state is cleared.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder.Name) return;
        if (Current is { ModeratedAt: { } decided } && clock.GetUtcNow() < decided + retention.Value.Submissions) return;
        if (Current is { Status: SubmissionStatus.Pending }) { await RetentionReminder.DoneAsync(this); return; }
        await Queue.ForgetAsync(this.GetPrimaryKeyString());
        await state.ClearStateAsync();
        state.State = new SubmissionState();
        await RetentionReminder.DoneAsync(this);
        DeactivateOnIdle();
    }

    private SubmissionView? Current => state.State.Submission;
    private ISubmissionQueueGrain Queue => GrainFactory.GetGrain<ISubmissionQueueGrain>(0);

    public async Task<SubmissionView> CreateAsync(SubmissionDraft draft)
    {
        if (Current is { } existing) return existing;
        var created = new SubmissionView(this.GetPrimaryKeyString(), draft.Name, draft.Text, draft.Contact, draft.Zone, draft.Source,
            SubmissionStatus.Pending, draft.CreatedAt, null, null, null);
        await SaveAsync(created, DashboardEvent.NewSubmission);
        return created;
    }

    public Task<SubmissionView?> GetAsync() => Task.FromResult(Current);

    public async Task<ModerationResult> ApproveAsync(MessageTarget? target, int displaySeconds)
    {
        if (Current is not { Status: SubmissionStatus.Pending } s) return new(Current, false);
        var now = clock.GetUtcNow();
        var messageId = EntityIds.MessageOfSubmission(s.Id);
        target ??= s.Zone is { } zone ? new MessageTarget(null, zone, null) : new MessageTarget(null, null, true);
        var message = new SignMessage(messageId, $"{s.Name}: {s.Text}", null, MessagePriority.Normal, displaySeconds, null, now);
        await GrainFactory.GetGrain<IMessageGrain>(messageId).SendAsync(message, target, null);
        var approved = s with { Status = SubmissionStatus.Approved, ModeratedAt = now, MessageId = messageId };
        await SaveAsync(approved, DashboardEvent.SubmissionApproved);
        return new(approved, true);
    }

    public async Task<ModerationResult> RejectAsync(string? reason)
    {
        if (Current is not { Status: SubmissionStatus.Pending } s) return new(Current, false);
        var rejected = s with { Status = SubmissionStatus.Rejected, ModeratedAt = clock.GetUtcNow(), ModeratedReason = reason };
        await SaveAsync(rejected, DashboardEvent.SubmissionRejected);
        return new(rejected, true);
    }

    /// <summary>Stores <paramref name="submission"/>, files it in the queue under its status and tells dashboards (without the contact).</summary>
    private async Task SaveAsync(SubmissionView submission, string eventType)
    {
        var previous = state.State.Submission;
        state.State.Submission = submission;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Submission = previous;   // memory never shows what storage does not hold
            throw;
        }
        await Queue.SetStatusAsync(submission.Id, submission.Status);
        if (submission.ModeratedAt is { } decided)
            await RetentionReminder.ScheduleAsync(this, decided + retention.Value.Submissions, reminders.Value, clock);
        await this.PublishAsync(new DashboardEvent(eventType, clock.GetUtcNow(), null, Submission: submission.ToNotice()), logger);
    }
}

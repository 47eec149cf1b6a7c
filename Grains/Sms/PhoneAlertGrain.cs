using CityArray.Grains.Timers;
using CityArray.Grains.Interfaces.Sms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Sms;

/// <summary>
/// One phone alert (see <see cref="IPhoneAlertGrain"/>). Record first: the batch's recipients are stored as
/// <c>sending</c> (one write for the batch) before any request, and their outcomes in one write after. A recipient
/// found <c>sending</c> when the grain activates had its request cut short by a crash: it becomes <c>unknown</c> and is
/// never sent again. Twilio refusing for now (429, 5xx, unreachable) puts it back to <c>pending</c> after
/// <see cref="TwilioOptions.RetryDelay"/>, up to <see cref="TwilioOptions.MaxAttempts"/>. A one-minute reminder
/// re-queues the alert at the dispatcher while anything is pending, so nothing is lost if a queue entry is.
/// </summary>
public sealed class PhoneAlertGrain(
    [PersistentState("phone-alert", StorageNames.Grains)] IPersistentState<PhoneAlertState> state,
    TwilioSender twilio,
    IOptions<TwilioOptions> options,
    CityArrayClock clock,
    ILogger<PhoneAlertGrain> logger) : Grain, IPhoneAlertGrain, IRemindable
{
    private const string PendingReminder = "phone-alert-pending";

    private PhoneAlertState S => state.State;

    private string AlertId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var r in S.Recipients.Where(r => r.Status == RecipientStatus.Sending))
        {
            r.Status = RecipientStatus.Unknown;
            r.UpdatedAt = clock.GetUtcNow();
        }
        return Task.CompletedTask;
    }

    public async Task<AlertView> CreateAsync(AlertDraft draft)
    {
        if (S.Draft is not null) return View();
        var subscribers = GrainFactory.GetGrain<ISmsSubscribersGrain>(0);
        var numbers = draft.Numbers is { Count: > 0 } given
            ? given.Distinct(StringComparer.Ordinal).ToArray()
            : await subscribers.ResolveAsync(draft.Zone);
        var optedOut = await subscribers.OptedOutAsync(numbers);
        var now = clock.GetUtcNow();
        S.Draft = draft;
        S.CreatedAt = now;
        S.Recipients = numbers.Select(n => new RecipientState
        {
            To = n,
            Status = optedOut.Contains(n) ? RecipientStatus.OptedOut : RecipientStatus.Pending,
            UpdatedAt = now,
        }).ToList();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.Draft = null;
            S.Recipients = [];
            throw;
        }
        if (HasPending) await ReminderBackstop.RegisterAsync(this, PendingReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        logger.LogInformation("Phone alert {AlertId} ({Channel}) recorded for {Count} recipients", AlertId, draft.Channel, S.Recipients.Count);
        return View();
    }

    public Task<AlertView?> GetAsync() => Task.FromResult(S.Draft is null ? null : View());

    public async Task<AlertBatch> SendBatchAsync(int budget)
    {
        if (S.Draft is not { } draft) return new AlertBatch(0, true);
        var now = clock.GetUtcNow();
        var due = S.Recipients.Where(r => r.Status == RecipientStatus.Pending && (r.NotBefore is null || r.NotBefore <= now)).Take(budget).ToList();
        if (due.Count == 0) return await FinishIfDoneAsync(0);

        // STOP is honoured up to the last moment: a number that opted out after the alert was created gets nothing.
        var optedOut = await GrainFactory.GetGrain<ISmsSubscribersGrain>(0).OptedOutAsync(due.Select(r => r.To).ToArray());
        foreach (var r in due)
        {
            r.UpdatedAt = now;
            if (optedOut.Contains(r.To)) r.Status = RecipientStatus.OptedOut;
            else
            {
                r.Status = RecipientStatus.Sending;
                r.Attempts++;
            }
        }
        await state.WriteStateAsync(); // record first: from here on, no recipient of this batch is ever sent twice
        var sending = due.Where(r => r.Status == RecipientStatus.Sending).ToList();
        var outcomes = await Task.WhenAll(sending.Select(r =>
        {
            var callback = StatusCallback(S.Recipients.IndexOf(r));
            return draft.Channel == AlertChannel.Voice
                ? twilio.CallAsync(r.To, draft.Message, draft.Language, callback)
                : twilio.SendSmsAsync(r.To, draft.Message, callback);
        }));
        now = clock.GetUtcNow();
        for (var i = 0; i < sending.Count; i++) Apply(sending[i], outcomes[i], now);
        await state.WriteStateAsync();
        return await FinishIfDoneAsync(sending.Count);
    }

    public async Task<bool> ReportStatusAsync(int recipient, string twilioStatus, string? errorCode, string? sid)
    {
        if (recipient < 0 || recipient >= S.Recipients.Count) return false;
        var r = S.Recipients[recipient];
        if (sid is not null && r.Sid is not null && r.Sid != sid) return false;
        if (RecipientStatus.FromTwilio(twilioStatus) is not { } status) return true;
        if (RecipientStatus.Rank(status) < RecipientStatus.Rank(r.Status) || r.Status == status) return true;
        // A callback can arrive while the request is still in flight (or after a lost answer): it settles the recipient.
        r.Status = status;
        r.Sid ??= sid;
        if (!string.IsNullOrEmpty(errorCode)) r.ErrorCode = errorCode;
        r.UpdatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != PendingReminder) return;
        if (HasPending) await GrainFactory.GetGrain<ISmsDispatcherGrain>(0).EnqueueAsync(AlertId);
        else await ReminderBackstop.StopAsync(this, PendingReminder, timer: null);
    }

    private bool HasPending => S.Recipients.Any(r => r.Status == RecipientStatus.Pending);

    private async Task<AlertBatch> FinishIfDoneAsync(int requests)
    {
        if (HasPending) return new AlertBatch(requests, false);
        await ReminderBackstop.StopAsync(this, PendingReminder, timer: null);
        return new AlertBatch(requests, true);
    }

    private void Apply(RecipientState r, SendOutcome outcome, DateTimeOffset now)
    {
        r.UpdatedAt = now;
        switch (outcome.Kind)
        {
            case SendOutcome.Kinds.Accepted:
                r.Sid = outcome.Sid;
                // A status callback may have moved it further already while the request was in flight.
                var accepted = RecipientStatus.FromTwilio(outcome.Status) ?? RecipientStatus.Queued;
                if (r.Status == RecipientStatus.Sending || RecipientStatus.Rank(accepted) > RecipientStatus.Rank(r.Status)) r.Status = accepted;
                break;
            case SendOutcome.Kinds.Refused:
                r.Status = RecipientStatus.Failed;
                r.ErrorCode = outcome.ErrorCode;
                logger.LogWarning("Twilio refused alert {AlertId} to {To}: {Code}", AlertId, PhoneMask.Mask(r.To), outcome.ErrorCode);
                break;
            case SendOutcome.Kinds.RetryLater when r.Attempts < options.Value.MaxAttempts:
                r.Status = RecipientStatus.Pending;
                r.ErrorCode = outcome.ErrorCode;
                r.NotBefore = now + options.Value.RetryDelay * Math.Pow(2, r.Attempts - 1);
                logger.LogWarning("Twilio unavailable for alert {AlertId} to {To} ({Error}); retrying", AlertId, PhoneMask.Mask(r.To), outcome.Error);
                break;
            case SendOutcome.Kinds.RetryLater:
                r.Status = RecipientStatus.Failed;
                r.ErrorCode = outcome.ErrorCode ?? "unavailable";
                break;
            default:
                if (r.Status == RecipientStatus.Sending) r.Status = RecipientStatus.Unknown;
                logger.LogWarning("No answer from Twilio for alert {AlertId} to {To}; not resending", AlertId, PhoneMask.Mask(r.To));
                break;
        }
    }

    private Uri? StatusCallback(int recipient) =>
        options.Value.PublicBaseUrl is { } baseUrl
            ? new Uri(baseUrl, $"/api/sms/status?alert_id={Uri.EscapeDataString(AlertId)}&recipient={recipient}")
            : null;

    private AlertView View()
    {
        var d = S.Draft!;
        var recipients = S.Recipients.Select(r => new AlertRecipient(r.To, r.Status, r.ErrorCode, r.Sid, r.Attempts, r.UpdatedAt)).ToArray();
        var tally = recipients.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        return new AlertView(AlertId, d.Channel, d.Message, d.Language, d.Zone, S.CreatedAt, recipients, tally, d.OverrideId);
    }
}

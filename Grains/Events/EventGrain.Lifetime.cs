using CityArray.Grains.Retention;
using Microsoft.Extensions.Logging;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Events;

/// <summary>Ending: by the creator, or by itself once it has outlived <see cref="CivicOptions.MaxEventLifetime"/>.</summary>
public sealed partial class EventGrain
{
    /// <summary>When an active event ends by itself: <see cref="CivicOptions.MaxEventLifetime"/> after its creation.</summary>
    private DateTimeOffset EndsAt => S.Event!.CreatedAt + Options.MaxEventLifetime;

    /// <summary>Asks the silo to call <see cref="DeadlinePassedAsync"/> when the event's lifetime ends.</summary>
    private void ScheduleLifetimeEnd() => deadlines.Schedule(this.GetGrainId(), EndsAt);

    public async Task DeadlinePassedAsync()
    {
        try
        {
            await ExpireIfDueAsync();
        }
        catch (Exception e)
        {
            // Any changing call, or the next activation, tries again.
            logger.LogWarning(e, "Could not end expired event {EventId}", EventId);
        }
    }

    public async Task<EventView> EndAsync(string userId)
    {
        var ev = EnsureExists();
        if (userId != ev.CreatorId) throw new CivicException(CivicErrors.Forbidden, "only the event's creator can end it", "creator_id");
        await ExpireIfDueAsync();
        await FinishAsync(clock.GetUtcNow());
        return View();
    }

    /// <summary>
    /// Ends the event (at <paramref name="endedAt"/> unless it has ended already), then, also on a retry, takes it
    /// out of the index before answering, so it leaves search at once, stops drops and deletes the video room.
    /// </summary>
    private async Task FinishAsync(DateTimeOffset endedAt)
    {
        var ev = S.Event!;
        if (ev.Status != EventStatus.Ended)
        {
            S.Event = ev with { Status = EventStatus.Ended, EndedAt = endedAt };
            await state.WriteOrRollbackAsync(() => S.Event = ev);
        }
        await IndexAsync(add: false);
        await StopDropsAsync();
        deadlines.Cancel(this.GetGrainId());
        await videoRooms.DeleteRoomAsync(EventId);
        await ProjectAsync();
        await RetentionReminder.ScheduleAsync(this, (S.Event!.EndedAt ?? endedAt) + retention.Value.Events, reminderOptions.Value, clock);
    }

    /// <summary>Ends an active event that has outlived <see cref="CivicOptions.MaxEventLifetime"/>.</summary>
    private async Task ExpireIfDueAsync()
    {
        if (S.Event is not { Status: EventStatus.Active } ev) return;
        var endsAt = EndsAt;
        if (clock.GetUtcNow() < endsAt) return;
        logger.LogInformation("Event {EventId} reached its maximum lifetime; ending it", EventId);
        await FinishAsync(endsAt);
    }
}

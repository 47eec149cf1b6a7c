using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>
/// Offline detection: while the sign is online, a deadline the silo keeps (<see cref="GrainDeadlines"/>: one timer per
/// silo, not one per sign) calls it when it would go offline. The durable backstop is fleet-wide, not per sign: the
/// fleet snapshot (one reminder for the whole fleet) activates every sign grain after a restart, which schedules the
/// deadline of each sign stored online again, and its sweep pokes a sign whose deadline died with its silo
/// (<see cref="CheckLivenessAsync"/>).
/// </summary>
public sealed partial class SignGrain
{
    /// <summary>Only the per-sign reminder of earlier versions ticks here: it is removed, and the check runs once.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OfflineReminder) return;
        await ReminderBackstop.StopOrLogAsync(this, OfflineReminder, null, _logger);
        await CheckOfflineAsync();
    }

    public Task CheckLivenessAsync() => CheckOfflineAsync();

    public Task DeadlinePassedAsync() => CheckOfflineAsync();

    /// <summary>Moves LastSeen to now; true when the sign was offline and is online again.</summary>
    private bool MarkSeen()
    {
        S.LastSeen = Now;
        if (S.Status == SignStatus.Online) return false;
        S.Status = SignStatus.Online;
        ScheduleOfflineCheck();
        return true;
    }

    /// <summary>Asks the silo to call the sign when it would go offline; the check schedules again if heartbeats moved the deadline.</summary>
    private void ScheduleOfflineCheck() => _deadlines.Schedule(this.GetGrainId(), (S.LastSeen ?? Now) + _options.OfflineAfter);

    private async Task CheckOfflineAsync()
    {
        if (S.Status != SignStatus.Online) return;
        var deadline = (S.LastSeen ?? DateTimeOffset.MinValue) + _options.OfflineAfter;
        if (Now < deadline)
        {
            ScheduleOfflineCheck();
            return;
        }
        S.Status = SignStatus.Offline;
        S.TimesOffline++;
        await _state.WriteStateAsync();
        _lastWrite = Now;
        await PublishAsync(DashboardEvent.SignOffline);
    }
}

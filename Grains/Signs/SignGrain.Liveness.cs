using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>
/// Offline detection: a one-shot timer while the sign is online. The durable backstop is fleet-wide, not per sign: the
/// fleet snapshot (one reminder for the whole fleet) activates every sign grain after a restart, which re-arms the timer
/// of each sign stored online, and its sweep pokes a sign whose timer died with its silo (<see cref="CheckLivenessAsync"/>).
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

    /// <summary>Moves LastSeen to now; true when the sign was offline and is online again.</summary>
    private bool MarkSeen()
    {
        S.LastSeen = Now;
        if (S.Status == SignStatus.Online) return false;
        S.Status = SignStatus.Online;
        ScheduleOfflineCheck();
        return true;
    }

    /// <summary>Arms a one-shot timer for the moment the sign would go offline; it re-arms itself if heartbeats moved the deadline.</summary>
    private void ScheduleOfflineCheck()
    {
        var due = (S.LastSeen ?? Now) + _options.OfflineAfter - Now;
        _offlineTimer?.Dispose();
        _offlineTimer = ReminderBackstop.Once(this, due, _ => CheckOfflineAsync(), keepAlive: true);
    }

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
        _offlineTimer?.Dispose();
        _offlineTimer = null;
        await _state.WriteStateAsync();
        _lastWrite = Now;
        await PublishAsync(DashboardEvent.SignOffline);
    }
}

using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>Offline detection: a one-shot timer for precision and a reminder as the durable backstop.</summary>
public sealed partial class SignGrain
{
    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == OfflineReminder ? CheckOfflineAsync() : Task.CompletedTask;

    /// <summary>Moves LastSeen to now; true when the sign was offline and is online again.</summary>
    private bool MarkSeen()
    {
        S.LastSeen = Now;
        if (S.Status == SignStatus.Online) return false;
        S.Status = SignStatus.Online;
        ScheduleOfflineCheck();
        _ = RegisterBackstopAsync();
        return true;
    }

    /// <summary>The backstop ticks every timeout (at least the reminder minimum); the timer still marks the sign offline without it.</summary>
    private Task RegisterBackstopAsync()
    {
        var period = _options.OfflineAfter < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : _options.OfflineAfter;
        return ReminderBackstop.RegisterOrLogAsync(this, OfflineReminder, period, period, TimeSpan.FromMinutes(1), _logger);
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
        if (S.Status != SignStatus.Online)
        {
            await UnregisterBackstopAsync();
            return;
        }
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
        await UnregisterBackstopAsync();
    }

    private Task UnregisterBackstopAsync() => ReminderBackstop.StopOrLogAsync(this, OfflineReminder, null, _logger);
}

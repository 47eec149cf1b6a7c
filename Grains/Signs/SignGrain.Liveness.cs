using CityArray.Grains.Interfaces.Signs;
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

    private async Task RegisterBackstopAsync()
    {
        var period = _options.OfflineAfter < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : _options.OfflineAfter;
        try
        {
            await this.RegisterOrUpdateReminder(OfflineReminder, period, period);
        }
        catch (Exception e)
        {
            // The timer still marks the sign offline while this activation lives; the backstop is retried next time it comes online.
            _logger.LogWarning(e, "Could not register the offline reminder of sign {SignId}", SignId);
        }
    }

    /// <summary>Arms a one-shot timer for the moment the sign would go offline; it re-arms itself if heartbeats moved the deadline.</summary>
    private void ScheduleOfflineCheck()
    {
        var due = (S.LastSeen ?? Now) + _options.OfflineAfter - Now;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _offlineTimer?.Dispose();
        _offlineTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.CheckOfflineAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
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

    private async Task UnregisterBackstopAsync()
    {
        try
        {
            var reminder = await this.GetReminder(OfflineReminder);
            if (reminder is not null) await this.UnregisterReminder(reminder);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not remove the offline reminder of sign {SignId}", SignId);
        }
    }
}

using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// Heartbeat and metrics frames of one sign are coalesced: changed values are written and a dashboard update is
/// published at most once per <see cref="SignageOptions.UpdateCoalesceInterval"/>, the latest values at the end of
/// the interval, so a sign alternating values cannot turn every frame into a storage write and a fleet-wide publish.
/// Registration and coming online are never delayed.
/// </summary>
public sealed partial class SignGrain
{
    private async Task<SignView> WriteAndPublishCoalescedAsync(bool cameOnline, bool changed)
    {
        _dirty |= changed;
        var interval = _options.UpdateCoalesceInterval;
        if (!S.Registered || cameOnline || Now - _lastUpdatePublish >= interval)
        {
            var write = !S.Registered || cameOnline || _dirty;
            if (write) await EnsureRegisteredAndWriteAsync();
            _dirty = false;
            _lastUpdatePublish = Now;
            var view = await PublishAsync(DashboardEvent.SignUpdate);
            // A frame that changed nothing operators see only proves liveness: its lazy write (at most once per
            // HeartbeatPersistInterval) follows the publish instead of delaying the dashboards.
            if (!write) await WriteIfStaleAsync();
            return view;
        }
        await WriteIfStaleAsync();
        _coalesceTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.FlushCoalescedAsync(),
            this,
            new GrainTimerCreationOptions
            {
                DueTime = Max(TimeSpan.Zero, _lastUpdatePublish + interval - Now),
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = true,
            });
        return View();
    }

    /// <summary>Publishes a <c>sign_update</c> now if none went out this interval, else once at its end (coalesced with heartbeats).</summary>
    private async Task PublishSoonAsync()
    {
        if (Now - _lastUpdatePublish >= _options.UpdateCoalesceInterval)
        {
            _lastUpdatePublish = Now;
            await PublishAsync(DashboardEvent.SignUpdate);
            return;
        }
        _coalesceTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.FlushCoalescedAsync(),
            this,
            new GrainTimerCreationOptions
            {
                DueTime = Max(TimeSpan.Zero, _lastUpdatePublish + _options.UpdateCoalesceInterval - Now),
                Period = Timeout.InfiniteTimeSpan,
                Interleave = false,
                KeepAlive = true,
            });
    }

    private async Task FlushCoalescedAsync()
    {
        _coalesceTimer?.Dispose();
        _coalesceTimer = null;
        if (_dirty)
        {
            await _state.WriteStateAsync();
            _lastWrite = Now;
            _dirty = false;
        }
        _lastUpdatePublish = Now;
        await PublishAsync(DashboardEvent.SignUpdate);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

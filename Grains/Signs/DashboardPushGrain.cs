using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CityArray.Grains.Signs;

/// <summary>
/// One activation per silo (stateless worker, always local to the calling sign grain) that batches sign events for the
/// dashboards in two stages: the fleet snapshot takes the views of each batch in one call, and only then does the batch
/// go to each gateway's outbox, which has at most one <see cref="IGatewayObserver.DashboardEventsAsync"/> call in flight
/// (so its events stay in order and a slow or dead gateway delays only itself). That order is what lets a dashboard
/// that connects miss nothing: any sign event a gateway received before the dashboard subscribed was already in the
/// snapshot the dashboard then reads, and the later ones are held for it. Nothing waits on a timer: an event that
/// finds a stage idle leaves at once, and under load the events that arrive during a call go out together in the next.
/// Events queued beyond <see cref="MaxQueued"/> are dropped oldest first (dashboards are best effort;
/// <c>get_all_signs</c> catches up).
/// </summary>
// Not removed when idle: the outboxes are in memory and a send goes on after the call that queued it returned (Orleans
// removes idle stateless workers by default, which once dropped 2,061 queued events in a 10,000-sign connect storm).
[StatelessWorker(1, removeIdleWorkers: false)]
[Reentrant]
public sealed class DashboardPushGrain(ILogger<DashboardPushGrain> logger) : Grain, IDashboardPushGrain
{
    /// <summary>Events one gateway's outbox holds at most while its previous batch is in flight.</summary>
    public const int MaxQueued = 50_000;

    /// <summary>How long one batch call to a gateway may take before that gateway's outbox moves on.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the list of gateways is reused (a gateway that just registered gets events within this).</summary>
    private static readonly TimeSpan GatewaysFresh = TimeSpan.FromSeconds(1);

    /// <summary>How long an empty list of gateways is reused.</summary>
    private static readonly TimeSpan NoGatewaysFresh = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<IGatewayObserver, Outbox> _outboxes = [];

    /// <summary>The first stage: events waiting for the fleet snapshot to take their views.</summary>
    private readonly Outbox _snapshot = new(null);

    /// <summary>Views the fleet snapshot failed to take, sent again with the next batch (or after a second).</summary>
    private List<SignView> _snapshotRetry = [];
    private List<DashboardEvent> _incoming = [];
    private bool _dispatching;
    private long? _gatewaysAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Idle between bursts is normal; a new activation would only have to fetch the gateways again.
        DelayDeactivation(TimeSpan.FromHours(1));
        return Task.CompletedTask;
    }

    public Task PublishAsync(DashboardEvent e)
    {
        _incoming.Add(e);
        if (!_dispatching)
        {
            _dispatching = true;
            _ = DispatchAsync();
        }
        return Task.CompletedTask;
    }

    /// <summary>Moves incoming events into every outbox (refreshing the gateways first when stale) and starts idle outboxes.</summary>
    private async Task DispatchAsync()
    {
        try
        {
            while (_incoming.Count > 0)
            {
                var fresh = _outboxes.Count > 0 ? GatewaysFresh : NoGatewaysFresh;
                if (_gatewaysAt is not { } at || Environment.TickCount64 - at >= (long)fresh.TotalMilliseconds) await RefreshGatewaysAsync();
                var batch = _incoming;
                _incoming = [];
                foreach (var e in batch) Add(_snapshot, e);
                Start(_snapshot);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not dispatch dashboard events");
        }
        finally
        {
            _dispatching = false;
        }
    }

    private async Task RefreshGatewaysAsync()
    {
        try
        {
            var live = await GrainFactory.GetGrain<IGatewayDirectoryGrain>(0).GetAllAsync().WaitAsync(CallTimeout);
            _gatewaysAt = Environment.TickCount64;
            var set = live.ToHashSet();
            foreach (var gone in _outboxes.Keys.Where(g => !set.Contains(g)).ToArray())
            {
                _outboxes[gone].Gone = true;
                _outboxes.Remove(gone);
            }
            foreach (var gateway in live)
                if (!_outboxes.ContainsKey(gateway)) _outboxes[gateway] = new Outbox(gateway);
        }
        catch (Exception e)
        {
            _gatewaysAt = Environment.TickCount64;
            logger.LogInformation(e, "Could not read the gateway directory; dashboard events go to the gateways known so far");
        }
    }

    private void Add(Outbox outbox, DashboardEvent e)
    {
        if (outbox.Pending.Count >= MaxQueued)
        {
            outbox.Pending.RemoveRange(0, MaxQueued / 10);
            if (!outbox.Overflowed)
                logger.LogWarning("Dropped the oldest dashboard events queued for {Target}: it does not keep up",
                    outbox.Gateway is null ? "the fleet snapshot" : "a gateway");
            outbox.Overflowed = true;
        }
        outbox.Pending.Add(e);
    }

    private void Start(Outbox outbox)
    {
        if (outbox.Sending || outbox.Pending.Count == 0) return;
        outbox.Sending = true;
        _ = SendAsync(outbox);
    }

    private async Task SendAsync(Outbox outbox)
    {
        try
        {
            while ((outbox.Pending.Count > 0 || (outbox == _snapshot && _snapshotRetry.Count > 0)) && !outbox.Gone)
            {
                var batch = outbox.Pending.ToArray();
                outbox.Pending.Clear();
                if (outbox.Gateway is { } gateway) await SendToGatewayAsync(gateway, batch);
                else await SendToSnapshotAsync(batch);
            }
        }
        finally
        {
            outbox.Sending = false;
        }
    }

    /// <summary>The fleet snapshot takes the batch's views, then the batch goes to every gateway (also when the snapshot failed).</summary>
    private async Task SendToSnapshotAsync(DashboardEvent[] batch)
    {
        var views = _snapshotRetry;
        _snapshotRetry = [];
        foreach (var e in batch)
            if (e.Sign is not null) views.Add(e.Sign);
        var failed = false;
        if (views.Count > 0)
        {
            try
            {
                await GrainFactory.GetGrain<IFleetSnapshotGrain>(0).UpdateManyAsync([.. views]).WaitAsync(CallTimeout);
            }
            catch (TimeoutException)
            {
                // The call goes on (a timeout only stops waiting for it): the next batch follows it in order.
                logger.LogInformation("Sign views to the fleet snapshot took over {Timeout}; sending the next batch", CallTimeout);
            }
            catch (Exception e)
            {
                // The fleet snapshot is what GET /api/signs and every dashboard connect read: its views are kept (ahead
                // of newer ones) and sent again, not dropped.
                logger.LogWarning(e, "Could not deliver {Count} sign views to the fleet snapshot; retrying", views.Count);
                _snapshotRetry = views.Count > MaxQueued ? views[^MaxQueued..] : views;
                failed = true;
            }
        }
        foreach (var outbox in _outboxes.Values)
        {
            foreach (var e in batch) Add(outbox, e);
            Start(outbox);
        }
        if (failed) await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private async Task SendToGatewayAsync(IGatewayObserver gateway, DashboardEvent[] batch)
    {
        try
        {
            await gateway.DashboardEventsAsync(batch).WaitAsync(CallTimeout);
        }
        catch (TimeoutException)
        {
            // The call goes on (a timeout only stops waiting for it): the next batch follows it in order.
            logger.LogInformation("Dashboard events to a gateway took over {Timeout}; sending the next batch", CallTimeout);
        }
        catch (Exception e)
        {
            logger.LogInformation(e, "Could not deliver {Count} dashboard events to a gateway", batch.Length);
        }
    }

    private sealed class Outbox(IGatewayObserver? gateway)
    {
        /// <summary>The gateway, or null for the fleet snapshot.</summary>
        public IGatewayObserver? Gateway { get; } = gateway;
        public List<DashboardEvent> Pending { get; } = [];
        public bool Sending { get; set; }
        public bool Gone { get; set; }
        public bool Overflowed { get; set; }
    }
}

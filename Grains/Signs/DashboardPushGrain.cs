using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CityArray.Grains.Signs;

/// <summary>
/// One activation per silo (stateless worker, always local to the calling sign grain) that batches sign events for the
/// dashboards: each gateway has an outbox with at most one <see cref="IGatewayObserver.DashboardEventsAsync"/> call in
/// flight (so its events stay in order and a slow or dead gateway delays only itself), and the fleet snapshot gets the
/// views of each batch in one call. Nothing waits on a timer: an event that finds the outbox idle leaves at once, and under
/// load the events that arrive during a call go out together in the next. Events queued for one gateway beyond
/// <see cref="MaxQueued"/> are dropped oldest first (dashboards are best effort; <c>get_all_signs</c> catches up).
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
    private readonly Outbox _snapshot = new(null);
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
                foreach (var e in batch)
                    if (e.Sign is not null) Add(_snapshot, e);
                Start(_snapshot);
                foreach (var outbox in _outboxes.Values)
                {
                    foreach (var e in batch) Add(outbox, e);
                    Start(outbox);
                }
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
            while (outbox.Pending.Count > 0 && !outbox.Gone)
            {
                var batch = outbox.Pending.ToArray();
                outbox.Pending.Clear();
                try
                {
                    if (outbox.Gateway is { } gateway) await gateway.DashboardEventsAsync(batch).WaitAsync(CallTimeout);
                    else await GrainFactory.GetGrain<IFleetSnapshotGrain>(0).UpdateManyAsync(batch.Select(e => e.Sign!).ToArray()).WaitAsync(CallTimeout);
                }
                catch (TimeoutException)
                {
                    // The call goes on (a timeout only stops waiting for it): the next batch follows it in order.
                    logger.LogInformation("Dashboard events to {Target} took over {Timeout}; sending the next batch",
                        outbox.Gateway is null ? "the fleet snapshot" : "a gateway", CallTimeout);
                }
                catch (Exception e) when (outbox.Gateway is null)
                {
                    // The fleet snapshot is what GET /api/signs and every dashboard connect read: its events are kept
                    // (ahead of newer ones) and sent again after a second, not dropped.
                    logger.LogWarning(e, "Could not deliver {Count} sign views to the fleet snapshot; retrying", batch.Length);
                    outbox.Pending.InsertRange(0, batch);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (Exception e)
                {
                    logger.LogInformation(e, "Could not deliver {Count} dashboard events to a gateway", batch.Length);
                }
            }
        }
        finally
        {
            outbox.Sending = false;
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

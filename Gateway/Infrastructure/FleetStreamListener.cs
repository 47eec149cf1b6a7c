using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// A gateway-wide subscription to one fleet stream (namespace <see cref="Namespace"/>, key <c>fleet</c>), retried until the
/// cluster answers; each event goes to <see cref="OnEventAsync"/>. Client-side subscriptions do not survive a cluster
/// restart, so it is taken again when the gateway regains the cluster or finds the cluster restarted
/// (<see cref="ClusterRecovery"/>), and a probe published on the stream every <see cref="ProbeInterval"/> that does not
/// come back within <see cref="ProbeTimeout"/> (a silent loss) also re-takes it; for <see cref="WatchPeriod"/> after
/// each re-subscription the probe runs every second.
/// </summary>
public abstract class FleetStreamListener<T>(IClusterClient cluster, ClusterRecovery recovery, ILogger logger) : BackgroundService
{
    /// <summary>How often the subscription is checked with a probe.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a probe may take to come back before the subscription is taken again.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the cluster came back (or a probe failed) the subscription is probed every <see cref="WatchProbeInterval"/>
    /// for this long: a freshly restarted cluster can still drop a new subscription (a silo that did not know this client
    /// yet delivers to it, fails, and removes the consumer for good), and that must be noticed within seconds.
    /// </summary>
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(30);

    /// <summary>The probe period while watching (see <see cref="WatchPeriod"/>).</summary>
    public static readonly TimeSpan WatchProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take while watching.</summary>
    public static readonly TimeSpan WatchProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _recovered = new(0);
    private readonly string _probeToken = Guid.NewGuid().ToString("N");
    private TaskCompletionSource? _probe;

    /// <summary>The stream namespace to listen to.</summary>
    protected abstract string Namespace { get; }

    /// <summary>Completes once the subscription is in place.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>How many times the subscription was taken again after the first (for tests and logs).</summary>
    public int Resubscriptions { get; private set; }

    /// <summary>Handles one event; must not block (queue work per socket instead).</summary>
    protected abstract Task OnEventAsync(T item);

    /// <summary>A probe event carrying <paramref name="token"/>; null when this stream is not probed.</summary>
    protected virtual T? CreateProbe(string token) => default;

    /// <summary>The probe token of <paramref name="item"/>, or null when it is an ordinary event.</summary>
    protected virtual string? ProbeToken(T item) => null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        recovery.Recovered += OnRecovered;
        recovery.Forgotten += OnRecovered;
        var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<T>(StreamId.Create(Namespace, StreamNames.FleetKey));
        StreamSubscriptionHandle<T>? handle = null;
        try
        {
            handle = await SubscribeAsync(stream, null, stoppingToken);
            var watchUntil = Environment.TickCount64;
            while (!stoppingToken.IsCancellationRequested)
            {
                var watching = Environment.TickCount64 < watchUntil;
                var recovered = await _recovered.WaitAsync(watching ? WatchProbeInterval : ProbeInterval, stoppingToken);
                if (recovered || !await ProbeAsync(stream, watching ? WatchProbeTimeout : ProbeTimeout, stoppingToken))
                {
                    while (_recovered.CurrentCount > 0) await _recovered.WaitAsync(stoppingToken); // one re-subscription per burst of signals
                    logger.LogWarning("Taking the {Namespace} stream subscription again ({Reason})", Namespace,
                        recovered ? "the cluster came back" : "a probe did not come back");
                    handle = await SubscribeAsync(stream, handle, stoppingToken);
                    Resubscriptions++;
                    watchUntil = Environment.TickCount64 + (long)WatchPeriod.TotalMilliseconds;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            recovery.Recovered -= OnRecovered;
            recovery.Forgotten -= OnRecovered;
        }
        if (handle is null) return;
        try { await handle.UnsubscribeAsync(); }
        catch (Exception e) { logger.LogDebug(e, "Unsubscribe from the {Namespace} stream failed during shutdown", Namespace); }
    }

    private void OnRecovered() => _recovered.Release();

    private async Task<StreamSubscriptionHandle<T>?> SubscribeAsync(IAsyncStream<T> stream, StreamSubscriptionHandle<T>? old, CancellationToken stoppingToken)
    {
        // Every call here is bounded: right after a restart the pub-sub grain can hang a call for the 30 s response
        // timeout (two activations during membership churn, producers on dead silos), and this loop must keep probing.
        if (old is not null)
        {
            try { await old.UnsubscribeAsync().WaitAsync(CallTimeout, stoppingToken); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(e, "Dropping the old {Namespace} subscription failed (it is probably gone already)", Namespace);
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handle = await stream.SubscribeAsync((item, _) => DispatchAsync(item)).WaitAsync(CallTimeout, stoppingToken);
                _subscribed.TrySetResult();
                logger.LogInformation("Listening to the {Namespace} stream", Namespace);
                await DropStaleSubscriptionsAsync(stream, handle, stoppingToken);
                return handle;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not subscribe to the {Namespace} stream; retrying", Namespace);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        return null;
    }

    /// <summary>How long one subscribe or unsubscribe call may take before it is given up (and retried).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Removes this client's other subscriptions to the stream: those whose unsubscribe failed during a restart stay in the
    /// stored pub-sub state, and silos keep delivering to them (the client drops the items) until they are removed.
    /// </summary>
    private async Task DropStaleSubscriptionsAsync(IAsyncStream<T> stream, StreamSubscriptionHandle<T> current, CancellationToken stoppingToken)
    {
        IList<StreamSubscriptionHandle<T>> all;
        try
        {
            // The list is taken before this listener can subscribe again, so a newer subscription is never dropped.
            all = await stream.GetAllSubscriptionHandles().WaitAsync(CallTimeout, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Could not list the {Namespace} subscriptions (stale ones are dropped after the next re-subscription)", Namespace);
            return;
        }
        var stale = all.Where(h => !h.Equals(current)).ToArray();
        if (stale.Length == 0) return;
        logger.LogInformation("Dropping {Count} stale {Namespace} subscriptions", stale.Length, Namespace);
        _ = Task.Run(async () =>
        {
            foreach (var handle in stale)
            {
                try { await handle.UnsubscribeAsync().WaitAsync(CallTimeout, stoppingToken); }
                catch (Exception e) { logger.LogDebug(e, "Could not drop a stale {Namespace} subscription", Namespace); }
            }
        }, CancellationToken.None);
    }

    private async Task<bool> ProbeAsync(IAsyncStream<T> stream, TimeSpan timeout, CancellationToken stoppingToken)
    {
        var token = $"{_probeToken}-{Environment.TickCount64}";
        if (CreateProbe(token) is not { } probe) return true;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probe = seen;
        try
        {
            await stream.OnNextAsync(probe).WaitAsync(timeout, stoppingToken);
            await seen.Task.WaitAsync(timeout, stoppingToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug(e, "Probe on the {Namespace} stream failed", Namespace);
            return false;
        }
        finally
        {
            _probe = null;
        }
    }

    private Task DispatchAsync(T item)
    {
        if (ProbeToken(item) is { } token)
        {
            if (token.StartsWith(_probeToken, StringComparison.Ordinal)) _probe?.TrySetResult();
            return Task.CompletedTask;
        }
        return OnEventAsync(item);
    }
}

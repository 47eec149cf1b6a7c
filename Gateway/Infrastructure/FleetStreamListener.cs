using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// A gateway-wide subscription to one fleet stream (namespace <see cref="Namespace"/>, key <c>fleet</c>), retried until the
/// cluster answers; each event goes to <see cref="OnEventAsync"/>. Client-side subscriptions do not survive a cluster
/// restart, so it is taken again when the gateway regains the cluster (<see cref="ClusterRecovery"/>), and a probe
/// published on the stream every <see cref="ProbeInterval"/> that does not come back within <see cref="ProbeTimeout"/>
/// (a silent loss) also re-takes it.
/// </summary>
public abstract class FleetStreamListener<T>(IClusterClient cluster, ClusterRecovery recovery, ILogger logger) : BackgroundService
{
    /// <summary>How often the subscription is checked with a probe.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a probe may take to come back before the subscription is taken again.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

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
        var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<T>(StreamId.Create(Namespace, StreamNames.FleetKey));
        StreamSubscriptionHandle<T>? handle = null;
        try
        {
            handle = await SubscribeAsync(stream, null, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var recovered = await _recovered.WaitAsync(ProbeInterval, stoppingToken);
                if (recovered || !await ProbeAsync(stream, stoppingToken))
                {
                    logger.LogWarning("Taking the {Namespace} stream subscription again ({Reason})", Namespace,
                        recovered ? "the cluster connection came back" : "a probe did not come back");
                    handle = await SubscribeAsync(stream, handle, stoppingToken);
                    Resubscriptions++;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            recovery.Recovered -= OnRecovered;
        }
        if (handle is null) return;
        try { await handle.UnsubscribeAsync(); }
        catch (Exception e) { logger.LogDebug(e, "Unsubscribe from the {Namespace} stream failed during shutdown", Namespace); }
    }

    private void OnRecovered() => _recovered.Release();

    private async Task<StreamSubscriptionHandle<T>?> SubscribeAsync(IAsyncStream<T> stream, StreamSubscriptionHandle<T>? old, CancellationToken stoppingToken)
    {
        if (old is not null)
        {
            try { await old.UnsubscribeAsync(); }
            catch (Exception e) { logger.LogDebug(e, "Dropping the old {Namespace} subscription failed (it is probably gone already)", Namespace); }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handle = await stream.SubscribeAsync((item, _) => DispatchAsync(item));
                _subscribed.TrySetResult();
                logger.LogInformation("Listening to the {Namespace} stream", Namespace);
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

    private async Task<bool> ProbeAsync(IAsyncStream<T> stream, CancellationToken stoppingToken)
    {
        var token = $"{_probeToken}-{Environment.TickCount64}";
        if (CreateProbe(token) is not { } probe) return true;
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _probe = seen;
        try
        {
            await stream.OnNextAsync(probe).WaitAsync(ProbeTimeout, stoppingToken);
            await seen.Task.WaitAsync(ProbeTimeout, stoppingToken);
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

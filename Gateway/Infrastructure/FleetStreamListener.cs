using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// A gateway-wide subscription to one fleet stream (namespace <see cref="Namespace"/>, key <c>fleet</c>), taken once
/// at start and retried until the cluster answers; each event goes to <see cref="OnEventAsync"/>.
/// </summary>
public abstract class FleetStreamListener<T>(IClusterClient cluster, ILogger logger) : BackgroundService
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The stream namespace to listen to.</summary>
    protected abstract string Namespace { get; }

    /// <summary>Completes once the subscription is in place.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Handles one event; must not block (queue work per socket instead).</summary>
    protected abstract Task OnEventAsync(T item);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<T>(StreamId.Create(Namespace, StreamNames.FleetKey));
        StreamSubscriptionHandle<T>? handle = null;
        while (handle is null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                handle = await stream.SubscribeAsync((item, _) => OnEventAsync(item));
                _subscribed.TrySetResult();
                logger.LogInformation("Listening to the {Namespace} stream", Namespace);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not subscribe to the {Namespace} stream; retrying", Namespace);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) { }
        if (handle is null) return;
        try { await handle.UnsubscribeAsync(); }
        catch (Exception e) { logger.LogDebug(e, "Unsubscribe from the {Namespace} stream failed during shutdown", Namespace); }
    }
}

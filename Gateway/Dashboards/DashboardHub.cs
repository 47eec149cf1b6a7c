using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;

namespace CityArray.Gateway.Dashboards;

/// <summary>
/// Subscribes once per gateway to the fleet-wide dashboard stream and fans each event out to the
/// dashboard sockets this gateway holds (serialized once, queued per socket).
/// </summary>
public sealed class DashboardHub(IClusterClient cluster, ILogger<DashboardHub> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DashboardSubscriber> _subscribers = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the hub listens to the dashboard stream.</summary>
    public Task Subscribed => _subscribed.Task;

    public int Count => _subscribers.Count;

    public void Add(DashboardSubscriber subscriber) => _subscribers[subscriber.Connection.Id] = subscriber;

    public void Remove(DashboardSubscriber subscriber) => _subscribers.TryRemove(subscriber.Connection.Id, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stream = cluster.GetStreamProvider(StreamNames.Provider)
            .GetStream<DashboardEvent>(StreamId.Create(StreamNames.Dashboard, StreamNames.FleetKey));
        StreamSubscriptionHandle<DashboardEvent>? handle = null;
        while (handle is null && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                handle = await stream.SubscribeAsync((e, _) => Broadcast(e));
                _subscribed.TrySetResult();
                logger.LogInformation("Listening to the dashboard stream");
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not subscribe to the dashboard stream; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) { }
        if (handle is not null)
        {
            try { await handle.UnsubscribeAsync(); }
            catch (Exception e) { logger.LogDebug(e, "Unsubscribe from the dashboard stream failed during shutdown"); }
        }
    }

    private Task Broadcast(DashboardEvent e)
    {
        if (_subscribers.IsEmpty) return Task.CompletedTask;
        var bytes = JsonWire.ToUtf8(DashboardWire.ToMessage(e));
        foreach (var subscriber in _subscribers.Values) subscriber.Deliver(e.Timestamp, bytes);
        return Task.CompletedTask;
    }
}

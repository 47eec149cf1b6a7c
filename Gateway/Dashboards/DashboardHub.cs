using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;

namespace CityArray.Gateway.Dashboards;

/// <summary>
/// Subscribes once per gateway to the fleet-wide dashboard stream and fans each event out to the
/// dashboard sockets this gateway holds (serialized once, queued per socket).
/// </summary>
public sealed class DashboardHub(IClusterClient cluster, ILogger<DashboardHub> logger)
    : FleetStreamListener<DashboardEvent>(cluster, logger)
{
    private readonly ConcurrentDictionary<string, DashboardSubscriber> _subscribers = new();

    protected override string Namespace => StreamNames.Dashboard;

    public int Count => _subscribers.Count;

    public void Add(DashboardSubscriber subscriber) => _subscribers[subscriber.Connection.Id] = subscriber;

    public void Remove(DashboardSubscriber subscriber) => _subscribers.TryRemove(subscriber.Connection.Id, out _);

    protected override Task OnEventAsync(DashboardEvent e)
    {
        if (_subscribers.IsEmpty) return Task.CompletedTask;
        var bytes = JsonWire.ToUtf8(DashboardWire.ToMessage(e));
        foreach (var subscriber in _subscribers.Values) subscriber.Deliver(e.Timestamp, bytes);
        return Task.CompletedTask;
    }
}

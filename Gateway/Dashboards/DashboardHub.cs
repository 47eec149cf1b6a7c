using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;

namespace CityArray.Gateway.Dashboards;

/// <summary>
/// The dashboard sockets this gateway holds and what they are sent: sign events come in batches through this gateway's
/// channel (<see cref="IGatewayObserver.DashboardEventsAsync"/>, from each silo's push grain); the other fleet events
/// (overrides, messages, submissions, collectibles) through one subscription per gateway to the fleet-wide dashboard
/// stream. Each event is serialized once and queued per socket.
/// </summary>
public sealed class DashboardHub(IClusterClient cluster, ClusterRecovery recovery, TimeProvider clock, ILogger<DashboardHub> logger)
    : FleetStreamListener<DashboardEvent>(cluster, recovery, logger)
{
    private readonly ConcurrentDictionary<string, DashboardSubscriber> _subscribers = new();

    protected override string Namespace => StreamNames.Dashboard;

    public int Count => _subscribers.Count;

    public void Add(DashboardSubscriber subscriber) => _subscribers[subscriber.Connection.Id] = subscriber;

    public void Remove(DashboardSubscriber subscriber) => _subscribers.TryRemove(subscriber.Connection.Id, out _);

    /// <summary>The event type of a gateway's probe on the dashboard stream; never sent to dashboards.</summary>
    public const string ProbeType = "gateway_probe";

    protected override DashboardEvent? CreateProbe(string token) =>
        new(ProbeType, clock.GetUtcNow(), null, new Grains.Interfaces.Messages.MessageNotice(token, null, null, null, null));

    protected override string? ProbeToken(DashboardEvent item) => item.Type == ProbeType ? item.Message?.MessageId ?? "" : null;

    protected override Task OnEventAsync(DashboardEvent e)
    {
        if (_subscribers.IsEmpty) return Task.CompletedTask;
        var bytes = JsonWire.ToUtf8(DashboardWire.ToMessage(e));
        foreach (var subscriber in _subscribers.Values) subscriber.Deliver(bytes);
        return Task.CompletedTask;
    }

    /// <summary>A batch of sign events from a silo, in order: each is serialized once and queued on every dashboard socket.</summary>
    public void Deliver(IReadOnlyList<DashboardEvent> events)
    {
        if (_subscribers.IsEmpty) return;
        var subscribers = _subscribers.Values.ToArray();
        foreach (var e in events)
        {
            var bytes = JsonWire.ToUtf8(DashboardWire.ToMessage(e));
            foreach (var subscriber in subscribers) subscriber.Deliver(bytes);
        }
    }
}

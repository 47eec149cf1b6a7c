using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Gateway.Events;

/// <summary>
/// Delivers event notifications to the user sockets this gateway holds: one stream subscription per event
/// with local listeners (taken with the first listener, dropped with the last), each notification serialized
/// once and queued on every listening socket.
/// </summary>
public sealed class EventFanout(IClusterClient cluster, ILogger<EventFanout> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Channel> _channels = [];

    /// <summary>Events with at least one local listener (for tests and health).</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>Starts delivering the event's notifications to the socket; idempotent.</summary>
    public async Task ListenAsync(string eventId, SocketConnection connection)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_channels.TryGetValue(eventId, out var channel))
            {
                channel = new Channel();
                var stream = cluster.GetStreamProvider(StreamNames.Provider)
                    .GetStream<EventNotification>(StreamId.Create(StreamNames.Events, eventId));
                channel.Handle = await stream.SubscribeAsync((n, _) => Deliver(channel, n));
                _channels[eventId] = channel;
            }
            channel.Listeners[connection.Id] = connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops delivering the event's notifications to the socket; idempotent.</summary>
    public async Task StopAsync(string eventId, SocketConnection connection)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_channels.TryGetValue(eventId, out var channel)) return;
            channel.Listeners.TryRemove(connection.Id, out _);
            if (!channel.Listeners.IsEmpty) return;
            _channels.Remove(eventId);
            try { await channel.Handle!.UnsubscribeAsync(); }
            catch (Exception e) { logger.LogWarning(e, "Could not unsubscribe from event {EventId}", eventId); }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Task Deliver(Channel channel, EventNotification notification)
    {
        if (channel.Listeners.IsEmpty) return Task.CompletedTask;
        var bytes = JsonWire.ToUtf8(notification);
        foreach (var connection in channel.Listeners.Values) connection.Send(bytes);
        return Task.CompletedTask;
    }

    private sealed class Channel
    {
        public ConcurrentDictionary<string, SocketConnection> Listeners { get; } = new();
        public StreamSubscriptionHandle<EventNotification>? Handle { get; set; }
    }
}

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
/// once and queued on every listening socket. Client-side subscriptions do not survive a cluster restart, so every
/// channel is subscribed again when the gateway regains the cluster or finds that the cluster forgot it
/// (<see cref="ClusterRecovery"/>); every subscribe call is bounded, so a slow pub-sub never holds a user's join. After
/// any such fault, and when a silo died, every listened-to event is called once, so its grain (and drop timer) runs again.
/// </summary>
public sealed class EventFanout
{
    /// <summary>How long one subscribe or unsubscribe call may take before it is given up.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly IClusterClient _cluster;
    private readonly ILogger<EventFanout> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Channel> _channels = [];

    public EventFanout(IClusterClient cluster, ClusterRecovery recovery, ILogger<EventFanout> logger)
    {
        _cluster = cluster;
        _logger = logger;
        recovery.Recovered += OnRecovered;
        recovery.Forgotten += OnRecovered;
        recovery.SiloLost += () => _ = Task.Run(WakeAllAsync);
    }

    /// <summary>Events with at least one local listener (for tests and health).</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>How many times channels were subscribed again after the cluster came back (for tests and logs).</summary>
    public int Resubscriptions { get; private set; }

    private IAsyncStream<EventNotification> Stream(string eventId) =>
        _cluster.GetStreamProvider(StreamNames.Provider).GetStream<EventNotification>(StreamId.Create(StreamNames.Events, eventId));

    /// <summary>Starts delivering the event's notifications to the socket; idempotent.</summary>
    public async Task ListenAsync(string eventId, SocketConnection connection)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_channels.TryGetValue(eventId, out var channel))
            {
                channel = new Channel();
                channel.Handle = await Stream(eventId).SubscribeAsync((n, _) => Deliver(channel, 0, n)).WaitAsync(CallTimeout);
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
            try { await channel.Handle!.UnsubscribeAsync().WaitAsync(CallTimeout); }
            catch (Exception e) { _logger.LogWarning(e, "Could not unsubscribe from event {EventId}", eventId); }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnRecovered() => _ = Task.Run(async () =>
    {
        await ResubscribeAllAsync();
        await WakeAllAsync();
    });

    /// <summary>
    /// Calls every event that has a listener here, so an event whose grain died with a silo is activated again at once and
    /// its drop timer runs again (its reminder would otherwise do it at its next tick, up to a minute later).
    /// </summary>
    private async Task WakeAllAsync()
    {
        string[] eventIds;
        await _gate.WaitAsync();
        try { eventIds = [.. _channels.Keys]; }
        finally { _gate.Release(); }
        var failed = 0;
        using var limit = new SemaphoreSlim(32);
        await Task.WhenAll(eventIds.Select(async eventId =>
        {
            await limit.WaitAsync();
            try { await _cluster.GetGrain<IEventGrain>(eventId).GetAsync().WaitAsync(CallTimeout); }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                _logger.LogDebug(e, "Could not wake event {EventId}; its reminder will", eventId);
            }
            finally { limit.Release(); }
        }));
        if (eventIds.Length > 0)
            _logger.LogWarning("Events woken after a cluster fault: {Count} ({Failed} failed; their reminders are the backstop)", eventIds.Length, failed);
    }

    /// <summary>
    /// The number of notifications delivered so far on the event's channel, to pass to <see cref="ConfirmDeliveringAsync"/>.
    /// </summary>
    public async Task<long> DeliveredAsync(string eventId)
    {
        await _gate.WaitAsync();
        try { return _channels.TryGetValue(eventId, out var channel) ? Interlocked.Read(ref channel.Delivered) : 0; }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// After a publish this gateway expects to hear back (a user's own join): true when the channel delivered anything
    /// since <paramref name="before"/> within <paramref name="within"/>. Otherwise its subscription is taken again (right
    /// after a gateway or cluster restart, a new subscription can be dropped by a silo that did not know the client yet)
    /// and false is returned, so the caller confirms directly.
    /// </summary>
    public async Task<bool> ConfirmDeliveringAsync(string eventId, long before, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await DeliveredAsync(eventId) > before) return true;
            await Task.Delay(50);
        }
        await _gate.WaitAsync();
        try
        {
            if (!_channels.TryGetValue(eventId, out var channel)) return false;
            _logger.LogWarning("Event {EventId}'s stream delivered nothing to this gateway within {Within}; subscribing again", eventId, within);
            await ReplaceSubscriptionAsync(eventId, channel);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not subscribe to event {EventId} again", eventId);
        }
        finally
        {
            _gate.Release();
        }
        return false;
    }

    /// <summary>Subscribes the channel anew; only the newest subscription delivers, so a still-working old one cannot double a notification. Call under the gate.</summary>
    private async Task ReplaceSubscriptionAsync(string eventId, Channel channel)
    {
        var generation = channel.Generation + 1;
        var handle = await Stream(eventId).SubscribeAsync((n, _) => Deliver(channel, generation, n)).WaitAsync(CallTimeout);
        var old = channel.Handle;
        channel.Handle = handle;
        channel.Generation = generation;
        if (old is not null)
            _ = old.UnsubscribeAsync().WaitAsync(CallTimeout).ContinueWith(
                t => _logger.LogDebug(t.Exception, "Dropping the old subscription of event {EventId} failed (it is probably gone)", eventId),
                TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>Takes every channel's subscription again (the old one died with the cluster, or may have); retried until it holds.</summary>
    private async Task ResubscribeAllAsync()
    {
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            var failed = 0;
            await _gate.WaitAsync();
            try
            {
                foreach (var (eventId, channel) in _channels)
                {
                    try
                    {
                        await ReplaceSubscriptionAsync(eventId, channel);
                    }
                    catch (Exception e)
                    {
                        failed++;
                        _logger.LogDebug(e, "Could not subscribe to event {EventId} again", eventId);
                    }
                }
                if (failed == 0)
                {
                    if (_channels.Count > 0) _logger.LogInformation("Subscribed to {Count} event streams again", _channels.Count);
                    Resubscriptions++;
                    return;
                }
            }
            finally
            {
                _gate.Release();
            }
            _logger.LogWarning("Could not subscribe to {Failed} event streams again; retrying", failed);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static Task Deliver(Channel channel, int generation, EventNotification notification)
    {
        if (channel.Listeners.IsEmpty || generation != channel.Generation) return Task.CompletedTask;
        Interlocked.Increment(ref channel.Delivered);
        var bytes = JsonWire.ToUtf8(notification);
        foreach (var connection in channel.Listeners.Values) connection.Send(bytes);
        return Task.CompletedTask;
    }

    private sealed class Channel
    {
        public ConcurrentDictionary<string, SocketConnection> Listeners { get; } = new();
        public StreamSubscriptionHandle<EventNotification>? Handle { get; set; }

        /// <summary>Which subscription delivers (the newest); bumped on every re-subscription.</summary>
        public volatile int Generation;

        /// <summary>Notifications delivered by the current subscriptions (for <see cref="ConfirmDeliveringAsync"/>).</summary>
        public long Delivered;
    }
}

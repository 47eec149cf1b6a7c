using System.Collections.Concurrent;
using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Tests.Civic;

/// <summary>Collects the notifications of one event's stream, as a gateway would receive them.</summary>
public sealed class StreamProbe : IAsyncDisposable
{
    private readonly ConcurrentQueue<EventNotification> _received = new();
    private StreamSubscriptionHandle<EventNotification>? _handle;

    public IReadOnlyList<EventNotification> Received => _received.ToArray();

    public static async Task<StreamProbe> SubscribeAsync(IClusterClient client, string eventId)
    {
        var probe = new StreamProbe();
        var stream = client.GetStreamProvider(StreamNames.Provider)
            .GetStream<EventNotification>(StreamId.Create(StreamNames.Events, eventId));
        probe._handle = await stream.SubscribeAsync((n, _) =>
        {
            probe._received.Enqueue(n);
            return Task.CompletedTask;
        });
        return probe;
    }

    /// <summary>Waits until a notification matches, or fails after the timeout.</summary>
    public async Task<EventNotification> WaitForAsync(Func<EventNotification, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var hit = _received.FirstOrDefault(match);
            if (hit is not null) return hit;
            await Task.Delay(50);
        }
        throw new TimeoutException("no matching notification within " + timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null) await _handle.UnsubscribeAsync();
    }
}

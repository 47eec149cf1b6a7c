using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Gateway.Signs;

/// <summary>
/// The deliveries and acks this gateway owes the override and message tallies, batched per item. <see cref="Flush"/> sends
/// each item's batch in one call that returns once the grain has stored it, with at most one call in flight per item (the
/// next batch grows meanwhile: a group commit). A batch whose call fails (its silo died, storage refused) is merged back
/// and sent again at the next flush, so an ack a sign sent is counted at least once whatever dies, short of this gateway;
/// a sign whose gateway died gets the item again on reconnecting and acks it again.
/// </summary>
public sealed class TallyReports(IClusterClient cluster, Grains.CityArrayClock clock, ILogger<TallyReports> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Batch> _pending = [];
    private readonly HashSet<Key> _inFlight = [];

    private readonly record struct Key(bool IsOverride, string Id);

    private sealed class Batch
    {
        public HashSet<string> Delivered { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Acked { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The override was sent to the sign here (a sign covered late joins the tally).</summary>
    public void OverrideDelivered(string overrideId, string signId) => Add(new Key(true, overrideId), signId, acked: false);

    /// <summary>The sign acked the override.</summary>
    public void OverrideAcked(string overrideId, string signId) => Add(new Key(true, overrideId), signId, acked: true);

    /// <summary>The broadcast message was sent to the sign here.</summary>
    public void MessageDelivered(string messageId, string signId) => Add(new Key(false, messageId), signId, acked: false);

    /// <summary>The sign acked the message (targeted or broadcast).</summary>
    public void MessageAcked(string messageId, string signId) => Add(new Key(false, messageId), signId, acked: true);

    private void Add(Key key, string signId, bool acked)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var batch)) _pending[key] = batch = new Batch();
            (acked ? batch.Acked : batch.Delivered).Add(signId);
        }
    }

    /// <summary>Sends every batch whose item has no call in flight (called on a short timer, and at shutdown).</summary>
    public void Flush()
    {
        List<(Key Key, Batch Batch)> due;
        lock (_gate)
        {
            due = _pending.Where(p => !_inFlight.Contains(p.Key)).Select(p => (p.Key, p.Value)).ToList();
            foreach (var (key, _) in due)
            {
                _pending.Remove(key);
                _inFlight.Add(key);
            }
        }
        foreach (var (key, batch) in due) _ = SendAsync(key, batch);
    }

    /// <summary>Sends what is pending and waits (at most <paramref name="timeout"/>) until every batch is stored.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Flush();
            lock (_gate)
                if (_pending.Count == 0 && _inFlight.Count == 0) return;
            if (Environment.TickCount64 >= deadline) break;
            await Task.Delay(50);
        }
        lock (_gate)
            logger.LogWarning("Stopped with the tally reports of {Count} items unsent", _pending.Keys.Union(_inFlight).Count());
    }

    private async Task SendAsync(Key key, Batch batch)
    {
        try
        {
            string[] delivered = [.. batch.Delivered], acked = [.. batch.Acked];
            var at = clock.GetUtcNow();
            await (key.IsOverride
                ? cluster.GetGrain<IOverrideGrain>(key.Id).ReportBatchAsync(delivered, acked, at)
                : cluster.GetGrain<IMessageGrain>(key.Id).ReportBatchAsync(delivered, acked, at));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not report {Delivered} deliveries and {Acked} acks of {Kind} {Id}; sending them again",
                batch.Delivered.Count, batch.Acked.Count, key.IsOverride ? "override" : "message", key.Id);
            lock (_gate)
            {
                if (_pending.TryGetValue(key, out var newer))
                {
                    newer.Delivered.UnionWith(batch.Delivered);
                    newer.Acked.UnionWith(batch.Acked);
                }
                else _pending[key] = batch;
            }
        }
        finally
        {
            lock (_gate) _inFlight.Remove(key);
        }
    }
}

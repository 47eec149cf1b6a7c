using System.Diagnostics;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;
using Orleans.Concurrency;

namespace CityArray.Grains.Geo;

/// <summary>
/// One geohash cell of the nearby-events index. Changes are group-committed: a call returns once a write that
/// includes its change has completed, and changes that arrive while a write is in flight share the next write, so a
/// busy cell writes far less often than once per change; a cell whose writes take long (a large cell) waits as long
/// again before the next one, so it spends at most about half its time writing. Only positions are stored
/// (compact arrays); the event as search shows it is kept in memory, refreshed by each re-listing of the event and
/// fetched from the event grain the first time an activation returns an event it has not seen listed.
/// <see cref="NearestAsync"/> answers from a <see cref="GeoCellIndex"/> of the entries (rebuilt after a change of membership).
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Grains)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private static readonly TimeSpan ThrottleFrom = TimeSpan.FromMilliseconds(2);
    private readonly Dictionary<string, GeoCellItem> _items = new(StringComparer.Ordinal);
    private GeoCellIndex? _index;
    private Task _lastWrite = Task.CompletedTask;
    private Task? _nextWrite;
    private TimeSpan _lastWriteDuration;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        for (var i = 0; i < s.Ids.Length; i++) _items[s.Ids[i]] = new GeoCellItem(s.Ids[i], new GeoPoint(s.Longitudes[i], s.Latitudes[i]));
        foreach (var (id, entry) in s.Entries)
        {
            var item = new GeoCellItem(id, entry.Coordinates);
            item.SetView(entry.Event);
            _items.TryAdd(id, item);
        }
        foreach (var (id, point) in s.Events) _items.TryAdd(id, new GeoCellItem(id, point));
        return Task.CompletedTask;
    }

    public Task AddAsync(GeoCellEntry entry)
    {
        if (_items.TryGetValue(entry.EventId, out var existing) && existing.Coordinates == entry.Coordinates)
        {
            // Same position: nothing to store; the view (participant count, ...) is memory only.
            if (entry.Event is not null) existing.SetView(entry.Event);
            return PendingWrite();
        }
        var item = new GeoCellItem(entry.EventId, entry.Coordinates);
        item.SetView(entry.Event);
        _items[entry.EventId] = item;
        return PersistAsync();
    }

    public Task RemoveAsync(string eventId) => _items.Remove(eventId) ? PersistAsync() : PendingWrite();

    public Task<IReadOnlyList<GeoCellEntry>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<GeoCellEntry>>(_items.Values.Select(i => i.ToEntry()).ToArray());

    public async Task<IReadOnlyList<GeoCellHit>> NearestAsync(GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter)
    {
        limit = Math.Max(1, limit);
        HashSet<string>? unknown = null;
        while (true)
        {
            var (nearest, expired) = Index().Nearest(center, maxDistanceM, limit, createdAfter, unknown);
            // Past their lifetime: not shown; a call makes each end itself (and leave the index) before this answer.
            if (expired is not null) await Task.WhenAll(expired.Select(id => GrainFactory.GetGrain<IEventGrain>(id).GetAsync()));

            if (Array.TrueForAll(nearest, h => h.Item.View is not null))
            {
                var hits = new GeoCellHit[nearest.Length];
                for (var i = 0; i < hits.Length; i++) hits[i] = new GeoCellHit(nearest[i].Item.Entry!, nearest[i].Distance);
                return hits;
            }
            var missing = nearest.Where(h => h.Item.View is null).Select(h => h.Item).ToList();
            // Events this activation has not seen listed (stored positions only): read each once, then answer from memory.
            var views = await Task.WhenAll(missing.Select(i => GrainFactory.GetGrain<IEventGrain>(i.EventId).GetAsync()));
            for (var i = 0; i < missing.Count; i++)
            {
                if (views[i] is { } view) missing[i].SetView(view);
                else (unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(missing[i].EventId);
            }
        }
    }

    private GeoCellIndex Index() => _index ??= new GeoCellIndex(_items.Values);

    /// <summary>
    /// An unchanged call still waits for any write that may carry an earlier identical change; when the last write
    /// failed (and none is queued), the change may not be stored, so it writes again instead of repeating that failure.
    /// </summary>
    private Task PendingWrite() => _nextWrite ?? (_lastWrite.IsFaulted || _lastWrite.IsCanceled ? PersistAsync() : _lastWrite);

    private Task PersistAsync()
    {
        _index = null;
        return _nextWrite ??= WriteAfterAsync(_lastWrite);
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That batch's callers got its failure; this write carries their changes again.
        }
        // A large cell's write is long: waiting as long again lets more changes share the next one.
        if (_lastWriteDuration > ThrottleFrom) await Task.Delay(_lastWriteDuration);
        else await Task.Yield(); // let _nextWrite be assigned before this batch closes
        _nextWrite = null;
        var items = _items.Values.ToArray();
        state.State = new GeoCellState
        {
            Ids = items.Select(i => i.EventId).ToArray(),
            Longitudes = items.Select(i => i.Coordinates.Longitude).ToArray(),
            Latitudes = items.Select(i => i.Coordinates.Latitude).ToArray(),
        };
        var started = Stopwatch.GetTimestamp();
        var write = state.WriteStateAsync();
        _lastWrite = write;
        try
        {
            await write;
        }
        finally
        {
            _lastWriteDuration = Stopwatch.GetElapsedTime(started);
        }
    }
}

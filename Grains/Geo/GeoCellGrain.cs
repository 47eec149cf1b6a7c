using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using Orleans.Concurrency;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.Geo;

/// <summary>
/// One geohash cell of the nearby-events index. Changes are group-committed: a call returns once a write that
/// includes its change has completed, and changes that arrive while a write is in flight share the next write,
/// so a busy cell writes its (possibly large) state far less often than once per change. Entries carry the event as
/// search results show it, so <see cref="NearestAsync"/> answers a search from the cell alone.
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Grains)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private Dictionary<string, GeoCellEntry> _events = [];
    private GeoCellEntry[]? _snapshot;
    private Task _lastWrite = Task.CompletedTask;
    private Task? _nextWrite;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = new Dictionary<string, GeoCellEntry>(state.State.Entries);
        foreach (var (id, point) in state.State.Events) _events.TryAdd(id, new GeoCellEntry(id, point));
        return Task.CompletedTask;
    }

    public Task AddAsync(GeoCellEntry entry)
    {
        if (_events.TryGetValue(entry.EventId, out var existing) && existing == entry) return PendingWrite();
        _events[entry.EventId] = entry;
        return PersistAsync();
    }

    public Task RemoveAsync(string eventId) => _events.Remove(eventId) ? PersistAsync() : PendingWrite();

    public Task<IReadOnlyList<GeoCellEntry>> GetAllAsync() => Task.FromResult<IReadOnlyList<GeoCellEntry>>(Snapshot());

    public async Task<IReadOnlyList<GeoCellHit>> NearestAsync(GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter)
    {
        var top = new NearestSet(Math.Max(1, limit));
        List<string>? expired = null;
        foreach (var entry in Snapshot())
        {
            var distance = GeoMath.DistanceM(center, entry.Coordinates);
            if (distance > maxDistanceM) continue;
            if (entry.Event is { } ev && ev.CreatedAt < createdAfter) (expired ??= []).Add(entry.EventId);
            else top.Offer(new GeoCellHit(entry, distance));
        }
        // Past their lifetime: not shown; a call makes each end itself (and leave the index) before this answer.
        if (expired is not null) await Task.WhenAll(expired.Select(id => GrainFactory.GetGrain<IEventGrain>(id).GetAsync()));
        return top.ToSortedList();
    }

    private GeoCellEntry[] Snapshot() => _snapshot ??= _events.Values.ToArray();

    /// <summary>
    /// An unchanged call still waits for any write that may carry an earlier identical change; when the last write
    /// failed (and none is queued), the change may not be stored, so it writes again instead of repeating that failure.
    /// </summary>
    private Task PendingWrite() => _nextWrite ?? (_lastWrite.IsFaulted || _lastWrite.IsCanceled ? PersistAsync() : _lastWrite);

    private Task PersistAsync()
    {
        _snapshot = null;
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
        await Task.Yield(); // let _nextWrite be assigned before this batch closes
        _nextWrite = null;
        state.State = new GeoCellState { Entries = new Dictionary<string, GeoCellEntry>(_events) };
        var write = state.WriteStateAsync();
        _lastWrite = write;
        await write;
    }
}

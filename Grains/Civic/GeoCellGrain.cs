using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Civic;
using CityArray.Grains.Interfaces.Signs;
using Orleans.Concurrency;

namespace CityArray.Grains.Civic;

/// <summary>
/// One geohash cell of the nearby-events index. Changes are group-committed: a call returns once a write that
/// includes its change has completed, and changes that arrive while a write is in flight share the next write,
/// so a busy cell writes its (possibly large) state far less often than once per change.
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Grains)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private Dictionary<string, GeoPoint> _events = [];
    private GeoCellEntry[]? _snapshot;
    private Task _lastWrite = Task.CompletedTask;
    private Task? _nextWrite;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _events = new Dictionary<string, GeoPoint>(state.State.Events);
        return Task.CompletedTask;
    }

    public Task AddAsync(GeoCellEntry entry)
    {
        if (_events.TryGetValue(entry.EventId, out var existing) && existing == entry.Coordinates) return PendingWrite();
        _events[entry.EventId] = entry.Coordinates;
        return PersistAsync();
    }

    public Task RemoveAsync(string eventId) => _events.Remove(eventId) ? PersistAsync() : PendingWrite();

    public Task<IReadOnlyList<GeoCellEntry>> GetAllAsync()
    {
        _snapshot ??= _events.Select(e => new GeoCellEntry(e.Key, e.Value)).ToArray();
        return Task.FromResult<IReadOnlyList<GeoCellEntry>>(_snapshot);
    }

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
        state.State = new GeoCellState { Events = new Dictionary<string, GeoPoint>(_events) };
        var write = state.WriteStateAsync();
        _lastWrite = write;
        await write;
    }
}

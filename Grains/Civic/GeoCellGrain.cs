using CityArray.Grains.Interfaces.Civic;

namespace CityArray.Grains.Civic;

/// <summary>One geohash cell of the nearby-events index.</summary>
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Grains)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private GeoCellEntry[]? _snapshot;

    public async Task AddAsync(GeoCellEntry entry)
    {
        if (state.State.Events.TryGetValue(entry.EventId, out var existing) && existing == entry.Coordinates) return;
        state.State.Events[entry.EventId] = entry.Coordinates;
        _snapshot = null;
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string eventId)
    {
        if (!state.State.Events.Remove(eventId)) return;
        _snapshot = null;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<GeoCellEntry>> GetAllAsync()
    {
        _snapshot ??= state.State.Events.Select(e => new GeoCellEntry(e.Key, e.Value)).ToArray();
        return Task.FromResult<IReadOnlyList<GeoCellEntry>>(_snapshot);
    }
}

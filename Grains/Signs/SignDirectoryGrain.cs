using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;
using Orleans.Concurrency;

namespace CityArray.Grains.Signs;

/// <summary>
/// One shard of the sign directory (see <see cref="SignDirectory"/>): ids, zone index and coordinates of its signs, and a
/// geohash index of those coordinates (<see cref="SignGeoIndex"/>, in memory, rebuilt on activation) so an area is
/// resolved from the cells covering it, not by checking every sign.
/// Registrations are group-committed: the grain is reentrant, an upsert joins the next batch, and one state write stores
/// every registration that arrived while the previous write was in flight; each caller returns once the write holding
/// its registration is stored (record first: the sign writes its own state after that). A failed write rolls its batch
/// back in memory and fails every caller of that batch, so memory never keeps what storage does not hold; while a
/// write is in flight, reads already see its registrations.
/// </summary>
[Reentrant]
public sealed class SignDirectoryGrain(
    [PersistentState("sign-directory", StorageNames.Grains)] IPersistentState<SignDirectoryState> state)
    : Grain, ISignDirectoryGrain
{
    private SignDirectoryState S => state.State;
    private readonly SignGeoIndex _geo = new();
    private Dictionary<string, (string? Zone, GeoPoint? Coordinates)> _pending = new(StringComparer.Ordinal);
    private TaskCompletionSource _pendingStored = NewBatch();
    private HashSet<string> _writing = new(StringComparer.Ordinal);
    private Task _stored = Task.CompletedTask;
    private bool _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (signId, point) in S.Coordinates) _geo.Add(signId, point);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(string signId, string? zone, GeoPoint? coordinates)
    {
        if (_pending.ContainsKey(signId))
        {
            _pending[signId] = (zone, coordinates); // the latest registration of this sign wins in the batch
            return _pendingStored.Task;
        }
        var known = S.SignIds.Contains(signId);
        if (known && ZoneOf(signId) == zone && S.Coordinates.GetValueOrDefault(signId) == coordinates)
            // Nothing to change; if the write carrying exactly this is still in flight, the caller waits for it.
            return _writing.Contains(signId) ? _stored : Task.CompletedTask;
        _pending[signId] = (zone, coordinates);
        var stored = _pendingStored.Task;
        if (!_flushing) _ = FlushAsync();
        return stored;
    }

    /// <summary>Writes the pending registrations, one state write per batch, until none is left (runs on the grain's turn).</summary>
    private async Task FlushAsync()
    {
        _flushing = true;
        try
        {
            while (_pending.Count > 0)
            {
                var batch = _pending;
                var done = _pendingStored;
                _pending = new(StringComparer.Ordinal);
                _pendingStored = NewBatch();
                _writing = batch.Keys.ToHashSet(StringComparer.Ordinal);
                _stored = done.Task;
                var undo = new List<(string SignId, bool Known, string? Zone, GeoPoint? Coordinates)>(batch.Count);
                foreach (var (signId, (zone, coordinates)) in batch)
                {
                    var oldZone = ZoneOf(signId);
                    undo.Add((signId, S.SignIds.Contains(signId), oldZone, S.Coordinates.GetValueOrDefault(signId)));
                    Apply(signId, oldZone, zone, coordinates);
                }
                try
                {
                    await state.WriteStateAsync();
                    done.TrySetResult();
                }
                catch (Exception e)
                {
                    for (var i = undo.Count - 1; i >= 0; i--)
                    {
                        var (signId, known, zone, coordinates) = undo[i];
                        Apply(signId, batch[signId].Zone, zone, coordinates);
                        if (!known) S.SignIds.Remove(signId);
                    }
                    done.TrySetException(e);
                }
                finally
                {
                    _writing = new(StringComparer.Ordinal);
                }
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string? ZoneOf(string signId) => S.Zones.FirstOrDefault(z => z.Value.Contains(signId)).Key;

    public Task<IReadOnlyList<string>> GetZoneAsync(string zone) =>
        Task.FromResult<IReadOnlyList<string>>(S.Zones.TryGetValue(zone, out var members) ? members.ToArray() : []);

    public Task<IReadOnlyList<string>> GetInAreaAsync(OverrideArea area) =>
        Task.FromResult<IReadOnlyList<string>>(((IEnumerable<string>?)_geo.Candidates(area) ?? S.Coordinates.Keys)
            .Where(id => GeoArea.Contains(area, S.Coordinates.GetValueOrDefault(id))).Order(StringComparer.Ordinal).ToArray());

    public Task<IReadOnlyList<string>> GetAllAsync() => Task.FromResult<IReadOnlyList<string>>(S.SignIds.ToArray());

    private void Apply(string signId, string? fromZone, string? toZone, GeoPoint? coordinates)
    {
        S.SignIds.Add(signId);
        var zones = S.Zones;
        if (fromZone is not null && fromZone != toZone && zones.TryGetValue(fromZone, out var old) && old.Remove(signId) && old.Count == 0)
            zones.Remove(fromZone);
        if (toZone is not null)
        {
            if (!zones.TryGetValue(toZone, out var members)) zones[toZone] = members = new SortedSet<string>(StringComparer.Ordinal);
            members.Add(signId);
        }
        if (S.Coordinates.GetValueOrDefault(signId) is { } previous && previous != coordinates) _geo.Remove(signId, previous);
        if (coordinates is null)
        {
            S.Coordinates.Remove(signId);
        }
        else
        {
            S.Coordinates[signId] = coordinates;
            _geo.Add(signId, coordinates);
        }
    }
}

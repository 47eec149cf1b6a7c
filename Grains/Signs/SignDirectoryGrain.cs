using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// One shard of the sign directory (see <see cref="SignDirectory"/>): ids, zone index and coordinates of its signs, and a
/// geohash index of those coordinates (<see cref="SignGeoIndex"/>, in memory, rebuilt on activation) so an area is
/// resolved from the cells covering it, not by checking every sign. A failed write rolls the in-memory change back, so
/// memory never claims what storage does not hold.
/// </summary>
public sealed class SignDirectoryGrain(
    [PersistentState("sign-directory", StorageNames.Grains)] IPersistentState<SignDirectoryState> state)
    : Grain, ISignDirectoryGrain
{
    private SignDirectoryState S => state.State;
    private readonly SignGeoIndex _geo = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (signId, point) in S.Coordinates) _geo.Add(signId, point);
        return Task.CompletedTask;
    }

    public async Task UpsertAsync(string signId, string? zone, GeoPoint? coordinates)
    {
        var known = S.SignIds.Contains(signId);
        var oldZone = S.Zones.FirstOrDefault(z => z.Value.Contains(signId)).Key;
        var oldCoordinates = S.Coordinates.GetValueOrDefault(signId);
        if (known && oldZone == zone && oldCoordinates == coordinates) return;

        Apply(signId, oldZone, zone, coordinates);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Apply(signId, zone, oldZone, oldCoordinates);
            if (!known) S.SignIds.Remove(signId);
            throw;
        }
    }

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

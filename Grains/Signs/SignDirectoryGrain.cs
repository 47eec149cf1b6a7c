using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>Keeps the list of every known sign id and a zone index, so the fleet and a zone can be listed without scanning storage.</summary>
public sealed class SignDirectoryGrain(
    [PersistentState("sign-directory", StorageNames.Grains)] IPersistentState<SignDirectoryState> state)
    : Grain, ISignDirectoryGrain
{
    public async Task AddAsync(string signId)
    {
        if (state.State.SignIds.Add(signId)) await state.WriteStateAsync();
    }

    public async Task SetZoneAsync(string signId, string? oldZone, string? newZone)
    {
        var zones = state.State.Zones;
        if (oldZone is not null && zones.TryGetValue(oldZone, out var old) && old.Remove(signId) && old.Count == 0) zones.Remove(oldZone);
        if (newZone is not null)
        {
            if (!zones.TryGetValue(newZone, out var members)) zones[newZone] = members = new SortedSet<string>(StringComparer.Ordinal);
            members.Add(signId);
        }
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetZoneAsync(string zone) =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Zones.TryGetValue(zone, out var members) ? members.ToArray() : []);

    public Task<IReadOnlyList<string>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.SignIds.ToArray());
}

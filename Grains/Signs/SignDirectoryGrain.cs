using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>Keeps the list of every known sign id so the fleet can be listed without scanning storage.</summary>
public sealed class SignDirectoryGrain(
    [PersistentState("sign-directory", StorageNames.Grains)] IPersistentState<SignDirectoryState> state)
    : Grain, ISignDirectoryGrain
{
    public async Task AddAsync(string signId)
    {
        if (state.State.SignIds.Add(signId)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.SignIds.ToArray());
}

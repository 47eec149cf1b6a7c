using CityArray.Grains.Interfaces.Security;

namespace CityArray.Grains.Security;

/// <summary>The usernames of every operator account, sorted.</summary>
public sealed class OperatorDirectoryGrain(
    [PersistentState("operator-directory", StorageNames.Grains)] IPersistentState<OperatorDirectoryState> state) : Grain, IOperatorDirectoryGrain
{
    public async Task AddAsync(string username)
    {
        if (!state.State.Usernames.Add(username)) return;
        try { await state.WriteStateAsync(); }
        catch { state.State.Usernames.Remove(username); throw; }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Usernames.ToArray());
}

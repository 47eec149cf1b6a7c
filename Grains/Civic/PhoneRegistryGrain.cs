using CityArray.Grains.Interfaces.Civic;

namespace CityArray.Grains.Civic;

/// <summary>
/// One phone number's owner. The phone is claimed in this grain's storage first, then the user grain is
/// created; a retry after a failure in between finishes the same user instead of making another.
/// </summary>
public sealed class PhoneRegistryGrain(
    [PersistentState("phone", StorageNames.Grains)] IPersistentState<PhoneRegistryState> state) : Grain, IPhoneRegistryGrain
{
    public async Task<RegistrationResult> RegisterAsync(string name)
    {
        var phone = this.GetPrimaryKeyString();
        CivicException.ThrowIfInvalid("phone", CivicValidation.Phone(phone));
        CivicException.ThrowIfInvalid("name", CivicValidation.UserName(name));
        var created = state.State.UserId is null;
        if (created)
        {
            state.State.UserId = CivicIds.New();
            state.State.Name = name.Trim();
            await state.WriteStateAsync();
        }
        var user = GrainFactory.GetGrain<IUserGrain>(state.State.UserId!);
        var view = await user.GetAsync() ?? await user.InitializeAsync(phone, state.State.Name!);
        return new RegistrationResult(created, view);
    }

    public Task<string?> GetUserIdAsync() => Task.FromResult(state.State.UserId);
}

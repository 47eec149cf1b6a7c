using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Users;

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
        if (state.State.UserId is null)
        {
            state.State.UserId = CivicIds.New();
            state.State.Name = name.Trim();
            await state.WriteOrRollbackAsync(() => state.State.UserId = state.State.Name = null);
        }
        var user = GrainFactory.GetGrain<IUserGrain>(state.State.UserId!);
        if (await user.GetAsync() is { } existing) return new RegistrationResult(false, existing);
        // The phone is mapped but its user was never created (a failure in between): this call finishes the
        // registration, so it is the one that created the user.
        return new RegistrationResult(true, await user.InitializeAsync(phone, state.State.Name!));
    }

    public Task<string?> GetUserIdAsync() => Task.FromResult(state.State.UserId);
}

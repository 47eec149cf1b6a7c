using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Users;

/// <summary>A user: profile, stats and collectibles; every counter is idempotent by the id it counts.</summary>
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Grains)] IPersistentState<UserState> state,
    CityArrayClock clock) : Grain, IUserGrain
{
    private UserState S => state.State;

    private bool Exists => S.Phone is not null;

    public async Task<UserView> InitializeAsync(string phone, string name)
    {
        CivicException.ThrowIfInvalid("phone", CivicValidation.Phone(phone));
        CivicException.ThrowIfInvalid("name", CivicValidation.UserName(name));
        if (Exists)
        {
            return S.Phone == phone
                ? View()
                : throw new CivicException(CivicErrors.Conflict, $"user '{this.GetPrimaryKeyString()}' already exists");
        }
        S.Phone = phone;
        S.Name = name.Trim();
        S.CreatedAt = clock.GetUtcNow();
        await state.WriteOrRollbackAsync(() => S.Phone = null);
        return View();
    }

    public Task<UserView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public Task<IReadOnlyList<CollectibleView>> GetCollectiblesAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<CollectibleView>>(S.Collectibles.ToArray());
    }

    public async Task RecordEventCreatedAsync(string eventId)
    {
        EnsureExists();
        if (S.CreatedEventIds.Add(eventId)) await state.WriteOrRollbackAsync(() => S.CreatedEventIds.Remove(eventId));
    }

    public async Task RecordAttendanceAsync(string eventId)
    {
        EnsureExists();
        if (S.AttendedEventIds.Add(eventId)) await state.WriteOrRollbackAsync(() => S.AttendedEventIds.Remove(eventId));
    }

    public async Task<bool> AddCollectibleAsync(CollectibleView collectible)
    {
        EnsureExists();
        if (S.Collectibles.Exists(c => c.Id == collectible.Id)) return false;
        S.Collectibles.Add(collectible);
        await state.WriteOrRollbackAsync(() => S.Collectibles.RemoveAll(c => c.Id == collectible.Id));
        return true;
    }

    private void EnsureExists()
    {
        if (!Exists) throw CivicException.NotFound("user", this.GetPrimaryKeyString());
    }

    private UserView View() => new(
        this.GetPrimaryKeyString(),
        S.Phone!,
        S.Name,
        new UserStats(S.CreatedEventIds.Count, S.AttendedEventIds.Count, S.Collectibles.Count),
        S.CreatedAt);
}

using CityArray.Grains.Interfaces.Security;

namespace CityArray.Grains.Security;

/// <summary>
/// One operator account. After <see cref="MaxFailures"/> wrong passwords in a row the account is locked for
/// <see cref="LockoutDuration"/> (a right password does not help while locked); a success resets the count.
/// </summary>
public sealed class OperatorGrain(
    [PersistentState("operator", StorageNames.Grains)] IPersistentState<OperatorState> state,
    CityArrayClock clock) : Grain, IOperatorGrain
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private OperatorState S => state.State;
    private bool Exists => S.PasswordHash is not null;

    public async Task<bool> CreateAsync(string password, string role)
    {
        if (SecurityLimits.Username(this.GetPrimaryKeyString()) is { } bad) throw new ArgumentException($"username: {bad}");
        if (SecurityLimits.Password(password) is { } weak) throw new ArgumentException($"password: {weak}");
        if (!OperatorRoles.IsRole(role)) throw new ArgumentException($"role: must be one of {string.Join(", ", OperatorRoles.All)}");
        if (Exists) return false;
        S.PasswordHash = PasswordHash.Create(password);
        S.Role = role;
        S.CreatedAt = clock.GetUtcNow();
        await WriteOrRollbackAsync(() => S.PasswordHash = null);
        await GrainFactory.GetGrain<IOperatorDirectoryGrain>(0).AddAsync(this.GetPrimaryKeyString());
        return true;
    }

    public async Task<SignInResult> SignInAsync(string password)
    {
        if (!Exists)
        {
            PasswordHash.Verify(password, PasswordHash.Decoy); // the same work as for a real account
            return new SignInResult(false, null, SignInResult.Invalid, null);
        }
        var now = clock.GetUtcNow();
        if (S.LockedUntil is { } until && until > now) return new SignInResult(false, null, SignInResult.Locked, until - now);
        if (!PasswordHash.Verify(password, S.PasswordHash))
        {
            S.FailedAttempts++;
            if (S.FailedAttempts >= MaxFailures)
            {
                S.LockedUntil = now + LockoutDuration;
                S.FailedAttempts = 0;
            }
            await state.WriteStateAsync();
            return S.LockedUntil > now
                ? new SignInResult(false, null, SignInResult.Locked, S.LockedUntil - now)
                : new SignInResult(false, null, SignInResult.Invalid, null);
        }
        if (S.Disabled) return new SignInResult(false, null, SignInResult.Disabled, null);
        if (S.FailedAttempts != 0 || S.LockedUntil is not null)
        {
            S.FailedAttempts = 0;
            S.LockedUntil = null;
            await state.WriteStateAsync();
        }
        return new SignInResult(true, S.Role, SignInResult.Ok, null);
    }

    public Task<OperatorView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task<OperatorView?> SetDisabledAsync(bool disabled)
    {
        if (!Exists) return null;
        if (S.Disabled != disabled)
        {
            S.Disabled = disabled;
            await WriteOrRollbackAsync(() => S.Disabled = !disabled);
        }
        return View();
    }

    public async Task<OperatorView?> SetPasswordAsync(string password)
    {
        if (SecurityLimits.Password(password) is { } weak) throw new ArgumentException($"password: {weak}");
        if (!Exists) return null;
        var (hash, failures, locked) = (S.PasswordHash, S.FailedAttempts, S.LockedUntil);
        S.PasswordHash = PasswordHash.Create(password);
        S.FailedAttempts = 0;
        S.LockedUntil = null;
        await WriteOrRollbackAsync(() => (S.PasswordHash, S.FailedAttempts, S.LockedUntil) = (hash, failures, locked));
        return View();
    }

    private OperatorView View() =>
        new(this.GetPrimaryKeyString(), S.Role, S.Disabled, S.CreatedAt, S.LockedUntil is { } u && u > clock.GetUtcNow() ? u : null);

    private async Task WriteOrRollbackAsync(Action rollback)
    {
        try { await state.WriteStateAsync(); }
        catch { rollback(); throw; }
    }
}

namespace CityArray.Grains.Interfaces.Security;

/// <summary>One operator account (key = username): a PBKDF2 password hash, a role, a disabled flag and a lockout after repeated failures.</summary>
[Alias("CityArray.IOperatorGrain")]
public interface IOperatorGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; false if it already exists (nothing changes).</summary>
    [Alias("Create")]
    Task<bool> CreateAsync(string password, string role);

    /// <summary>Checks the password; counts failures and locks the account for a while after too many.</summary>
    [Alias("SignIn")]
    Task<SignInResult> SignInAsync(string password);

    /// <summary>The account, or null if there is none.</summary>
    [Alias("Get"), ReadOnly]
    Task<OperatorView?> GetAsync();

    /// <summary>Disables or re-enables the account; null if there is none.</summary>
    [Alias("SetDisabled")]
    Task<OperatorView?> SetDisabledAsync(bool disabled);

    /// <summary>Replaces the password and clears any lockout; null if there is no account.</summary>
    [Alias("SetPassword")]
    Task<OperatorView?> SetPasswordAsync(string password);
}

namespace CityArray.Grains.Interfaces.Users;

/// <summary>
/// The owner of one phone number (key = the E.164 phone). One grain per phone serialises every registration
/// of that phone, so concurrent registrations give exactly one <see cref="RegistrationResult.Created"/>.
/// </summary>
[Alias("CityArray.IPhoneRegistryGrain")]
public interface IPhoneRegistryGrain : IGrainWithStringKey
{
    /// <summary>Registers the phone to a new user called <paramref name="name"/>, or returns the existing owner.</summary>
    [Alias("Register")]
    Task<RegistrationResult> RegisterAsync(string name);

    /// <summary>The id of the user owning this phone, or null.</summary>
    [Alias("GetUserId"), ReadOnly]
    Task<string?> GetUserIdAsync();
}

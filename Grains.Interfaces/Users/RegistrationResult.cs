namespace CityArray.Grains.Interfaces.Users;

/// <summary>
/// The outcome of registering a phone: <see cref="Created"/> is true for the one call that registered it,
/// false when the phone already belonged to <see cref="User"/> (the REST layer answers 409).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.RegistrationResult")]
public sealed record RegistrationResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] UserView User);

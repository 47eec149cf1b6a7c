namespace CityArray.Grains.Interfaces.Security;

/// <summary>An operator account as admins see it (never the password hash).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.OperatorView")]
public sealed record OperatorView(
    [property: Id(0)] string Username,
    [property: Id(1)] string Role,
    [property: Id(2)] bool Disabled,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? LockedUntil);

namespace CityArray.Grains.Interfaces.Users;

/// <summary>A user's profile with stats.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.UserView")]
public sealed record UserView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Phone,
    [property: Id(2)] string Name,
    [property: Id(3)] UserStats Stats,
    [property: Id(4)] DateTimeOffset CreatedAt);

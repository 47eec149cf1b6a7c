namespace CityArray.Grains.Interfaces.Users;

/// <summary>A user's counters: events created, distinct events attended, collectibles owned.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.UserStats")]
public sealed record UserStats(
    [property: Id(0)] int EventsCreated,
    [property: Id(1)] int EventsAttended,
    [property: Id(2)] int CollectiblesCount);

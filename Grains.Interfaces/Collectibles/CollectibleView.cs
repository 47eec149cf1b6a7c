namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>A collectible dropped in an event; <see cref="Status"/> is one of <see cref="CollectibleStatus"/>.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.CollectibleView")]
public sealed record CollectibleView(
    [property: Id(0)] string Id,
    [property: Id(1)] string EventId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Rarity,
    [property: Id(4)] DateTimeOffset DroppedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] string? ClaimedBy,
    [property: Id(7)] DateTimeOffset? ClaimedAt,
    [property: Id(8)] string Status);

using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>A creator's request to drop a collectible now; null fields take a random name, a random rarity, the configured TTL.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.CollectibleDrop")]
public sealed record CollectibleDrop(
    [property: Id(0)] string? Name = null,
    [property: Id(1)] string? Rarity = null,
    [property: Id(2)] int? TtlSeconds = null)
{
    /// <summary>Throws <see cref="CivicException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        CivicException.ThrowIfInvalid("name", CivicValidation.CollectibleName(Name));
        CivicException.ThrowIfInvalid("rarity", CivicValidation.Rarity(Rarity));
        CivicException.ThrowIfInvalid("ttl_seconds", CivicValidation.TtlSeconds(TtlSeconds));
    }
}

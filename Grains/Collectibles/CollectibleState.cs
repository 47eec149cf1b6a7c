using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Collectibles;

/// <summary>Stored state of a <see cref="CollectibleGrain"/>: the collectible as dropped, then as claimed.</summary>
[GenerateSerializer, Alias("CityArray.CollectibleState")]
public sealed class CollectibleState
{
    [Id(0)] public CollectibleView? Collectible { get; set; }
}

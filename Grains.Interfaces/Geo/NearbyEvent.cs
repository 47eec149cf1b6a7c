using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>A search hit: the event and its great-circle distance from the search centre in metres.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.NearbyEvent")]
public sealed record NearbyEvent(
    [property: Id(0)] EventView Event,
    [property: Id(1)] double DistanceM);

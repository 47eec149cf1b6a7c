namespace CityArray.Grains.Interfaces.Geo;

/// <summary>A cell's search hit: the entry and its great-circle distance from the search centre in metres.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.GeoCellHit")]
public sealed record GeoCellHit(
    [property: Id(0)] GeoCellEntry Entry,
    [property: Id(1)] double DistanceM);

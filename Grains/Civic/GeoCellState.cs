using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Civic;

/// <summary>Stored state of a <see cref="GeoCellGrain"/>: event id to position.</summary>
[GenerateSerializer, Alias("CityArray.GeoCellState")]
public sealed class GeoCellState
{
    [Id(0)] public Dictionary<string, GeoPoint> Events { get; set; } = [];
}

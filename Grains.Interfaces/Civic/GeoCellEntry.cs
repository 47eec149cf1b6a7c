using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Civic;

/// <summary>One event in a geo cell: its id and position.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.GeoCellEntry")]
public sealed record GeoCellEntry(
    [property: Id(0)] string EventId,
    [property: Id(1)] GeoPoint Coordinates);

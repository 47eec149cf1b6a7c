using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>What coverage is evaluated against: a sign's id, zone and coordinates.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignProfile")]
public sealed record SignProfile(
    [property: Id(0)] string SignId,
    [property: Id(1)] string? Zone,
    [property: Id(2)] GeoPoint? Coordinates);

using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>What an operator sets about a sign with <c>PUT /api/signs/{id}</c>.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignRegistration")]
public sealed record SignRegistration(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Zone,
    [property: Id(2)] GeoPoint? Coordinates);

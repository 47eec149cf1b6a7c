using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>A snapshot of one sign as operators and dashboards see it.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignView")]
public sealed record SignView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Zone,
    [property: Id(3)] GeoPoint? Coordinates,
    [property: Id(4)] string Status,
    [property: Id(5)] bool Connected,
    [property: Id(6)] int? Battery,
    [property: Id(7)] int? SignalStrength,
    [property: Id(8)] string? CrowdDensity,
    [property: Id(9)] int? CrowdCount,
    [property: Id(10)] DateTimeOffset? LastSeen,
    [property: Id(11)] SignDisplay? CurrentDisplay,
    [property: Id(12)] SignStats Stats,
    [property: Id(13)] DateTimeOffset RegisteredAt);

using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>A circle on Earth: every point within <see cref="RadiusM"/> metres (great-circle) of <see cref="Center"/>.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.AreaCircle")]
public sealed record AreaCircle(
    [property: Id(0)] GeoPoint Center,
    [property: Id(1)] double RadiusM)
{
    /// <summary>The largest radius an override area may have.</summary>
    public const double MaxRadiusM = 100_000;
}

using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// The area an override covers: exactly one of a <see cref="Circle"/> or a closed <see cref="Polygon"/> ring
/// (<c>[longitude, latitude]</c> points, first == last).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideArea")]
public sealed record OverrideArea(
    [property: Id(0)] AreaCircle? Circle,
    [property: Id(1)] IReadOnlyList<GeoPoint>? Polygon)
{
    /// <summary>The fewest points a polygon ring may have (a triangle plus the closing point).</summary>
    public const int MinPolygonPoints = 4;

    /// <summary>The most points a polygon ring may have (REST areas and CAP polygons alike).</summary>
    public const int MaxPolygonPoints = 1000;
}

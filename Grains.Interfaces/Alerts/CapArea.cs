using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// One CAP <c>area</c>, its shapes already converted from CAP's <c>lat,lon</c> to our <c>[longitude, latitude]</c>
/// points: closed polygon rings and circles (radius in metres).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapArea")]
public sealed record CapArea(
    [property: Id(0)] string AreaDesc,
    [property: Id(1)] IReadOnlyList<IReadOnlyList<GeoPoint>> Polygons,
    [property: Id(2)] IReadOnlyList<AreaCircle> Circles);

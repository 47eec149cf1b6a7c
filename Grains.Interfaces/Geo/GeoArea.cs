using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>Whether a point lies in an override area: a circle (haversine distance) or a polygon ring (ray casting on lng/lat).</summary>
public static class GeoArea
{
    /// <summary>True when <paramref name="point"/> is inside <paramref name="area"/>; a null point (a sign without coordinates) never is.</summary>
    public static bool Contains(OverrideArea area, GeoPoint? point)
    {
        if (point is null) return false;
        return area.Circle is { } c ? InCircle(c, point) : area.Polygon is { } ring && InPolygon(ring, point);
    }

    /// <summary>True when <paramref name="point"/> is within the circle's radius (boundary included).</summary>
    public static bool InCircle(AreaCircle circle, GeoPoint point) => GeoMath.DistanceM(circle.Center, point) <= circle.RadiusM;

    /// <summary>
    /// Even-odd ray casting in the plane of longitude/latitude (fine for areas of a city; a ring crossing the
    /// antimeridian is not supported). The ring may be closed (first == last) or not.
    /// </summary>
    public static bool InPolygon(IReadOnlyList<GeoPoint> ring, GeoPoint point)
    {
        var inside = false;
        double x = point.Longitude, y = point.Latitude;
        for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
        {
            double xi = ring[i].Longitude, yi = ring[i].Latitude, xj = ring[j].Longitude, yj = ring[j].Latitude;
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    /// <summary>The ring closed: <paramref name="ring"/> itself when first == last, else with the first point appended.</summary>
    public static IReadOnlyList<GeoPoint> Close(IReadOnlyList<GeoPoint> ring) =>
        ring.Count == 0 || ring[0] == ring[^1] ? ring : [.. ring, ring[0]];
}

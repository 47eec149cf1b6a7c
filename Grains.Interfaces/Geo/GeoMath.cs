using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>Great-circle distance on a spherical Earth (the one place distances are computed).</summary>
public static class GeoMath
{
    /// <summary>Mean Earth radius in metres (IUGG).</summary>
    public const double EarthRadiusM = 6_371_008.8;

    /// <summary>Haversine distance in metres between two points.</summary>
    public static double DistanceM(GeoPoint a, GeoPoint b) => DistanceM(a.Latitude, a.Longitude, b.Latitude, b.Longitude);

    /// <summary>Haversine distance in metres between two latitude/longitude pairs in degrees.</summary>
    public static double DistanceM(double lat1, double lng1, double lat2, double lng2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLng = ToRadians(lng2 - lng1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * EarthRadiusM * Math.Asin(Math.Sqrt(Math.Min(1, h)));
    }

    /// <summary>
    /// The widest longitude offset, in degrees, of a point within <paramref name="distanceM"/> of a point at
    /// <paramref name="latitude"/> (the spherical cap's half-width: asin(sin(r) / cos(lat))); 180 when the cap reaches a
    /// pole or wraps the globe. A point whose longitude differs by more is farther than the distance.
    /// </summary>
    public static double LongitudeReachDegrees(double latitude, double distanceM)
    {
        var angular = distanceM / EarthRadiusM;
        if (angular >= Math.PI / 2 || Math.Abs(latitude) + ToDegrees(angular) >= 90 - 1e-6) return 180; // a tiny margin absorbs rounding
        var ratio = Math.Sin(angular) / Math.Cos(ToRadians(latitude));
        return ratio >= 1 ? 180 : ToDegrees(Math.Asin(ratio));
    }

    /// <summary>
    /// A lower bound of the great-circle distance in metres from <paramref name="point"/> to any point of the
    /// latitude/longitude box (0 inside it): the larger of the latitude gap's arc and the distance to the nearer
    /// bounding meridian's great circle. A search skips a box whose bound passes the farthest hit it keeps.
    /// </summary>
    public static double MinDistanceM(GeoPoint point, double minLat, double minLng, double maxLat, double maxLng)
    {
        var latGap = point.Latitude < minLat ? minLat - point.Latitude : point.Latitude > maxLat ? point.Latitude - maxLat : 0;
        var lngGap = 0.0;
        if (point.Longitude < minLng || point.Longitude > maxLng)
            lngGap = Math.Min(LongitudeGap(point.Longitude, minLng), LongitudeGap(point.Longitude, maxLng));
        var byLatitude = EarthRadiusM * ToRadians(latGap);
        // Distance to a meridian's great circle: asin(sin(dLng) * cos(lat)); it only grows with dLng up to 90 degrees.
        var byLongitude = EarthRadiusM * Math.Asin(Math.Sin(ToRadians(Math.Min(lngGap, 90))) * Math.Cos(ToRadians(point.Latitude)));
        return Math.Max(byLatitude, byLongitude);
    }

    /// <summary>The absolute difference of two longitudes in degrees, across the antimeridian when shorter (0 to 180).</summary>
    public static double LongitudeGap(double a, double b)
    {
        var d = Math.Abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }

    public static double ToRadians(double degrees) => degrees * Math.PI / 180;

    public static double ToDegrees(double radians) => radians * 180 / Math.PI;
}

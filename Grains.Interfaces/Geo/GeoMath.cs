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

    public static double ToRadians(double degrees) => degrees * Math.PI / 180;

    public static double ToDegrees(double radians) => radians * 180 / Math.PI;
}

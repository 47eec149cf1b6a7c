using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Tests.Geo;

/// <summary>Random points for geo tests.</summary>
public static class GeoTestMath
{
    /// <summary>The point <paramref name="distanceM"/> metres from <paramref name="from"/> along a bearing (spherical).</summary>
    public static GeoPoint Destination(GeoPoint from, double bearingDegrees, double distanceM)
    {
        var d = distanceM / GeoMath.EarthRadiusM;
        var b = GeoMath.ToRadians(bearingDegrees);
        var lat1 = GeoMath.ToRadians(from.Latitude);
        var lng1 = GeoMath.ToRadians(from.Longitude);
        var lat2 = Math.Asin(Math.Sin(lat1) * Math.Cos(d) + Math.Cos(lat1) * Math.Sin(d) * Math.Cos(b));
        var lng2 = lng1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(lat1), Math.Cos(d) - Math.Sin(lat1) * Math.Sin(lat2));
        var lng = GeoMath.ToDegrees(lng2);
        lng = (lng + 540) % 360 - 180;
        return new GeoPoint(lng, Math.Clamp(GeoMath.ToDegrees(lat2), -90, 90));
    }

    /// <summary>A uniformly random point in a lat/lng box around a centre.</summary>
    public static GeoPoint InBox(Random random, GeoPoint center, double halfSpanDegrees) =>
        new(center.Longitude + (random.NextDouble() * 2 - 1) * halfSpanDegrees,
            center.Latitude + (random.NextDouble() * 2 - 1) * halfSpanDegrees);
}

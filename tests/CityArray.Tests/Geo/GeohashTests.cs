using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Geo;
using CityArray.Tests.Civic;

namespace CityArray.Tests.Geo;

public sealed class GeohashTests
{
    [Theory]
    [InlineData(57.64911, 10.40744, "u4pruydqqvj")]
    [InlineData(4.65, -74.08, "d2g6")]
    [InlineData(-33.8688, 151.2093, "r3gx2f")]
    [InlineData(0, 0, "s0000")]
    public void Encode_matches_known_geohashes(double lat, double lng, string expected) =>
        Assert.Equal(expected, Geohash.Encode(lat, lng, expected.Length));

    [Fact]
    public void Bounds_contain_the_encoded_point_and_have_the_cell_size()
    {
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var lat = random.NextDouble() * 180 - 90;
            var lng = random.NextDouble() * 360 - 180;
            var precision = random.Next(1, 10);
            var (minLat, minLng, maxLat, maxLng) = Geohash.Bounds(Geohash.Encode(lat, lng, precision));
            Assert.InRange(lat, minLat, maxLat);
            Assert.InRange(lng, minLng, maxLng);
            var (width, height) = Geohash.CellSize(precision);
            Assert.Equal(width, maxLng - minLng, 9);
            Assert.Equal(height, maxLat - minLat, 9);
        }
    }

    [Fact]
    public void Geohash_6_is_about_1_km()
    {
        var (width, height) = Geohash.CellSize(6);
        Assert.InRange(width * 111_320, 1_100, 1_300);
        Assert.InRange(height * 110_574, 550, 650);
    }

    [Theory]
    [InlineData(4.65, -74.08)]      // Bogota
    [InlineData(0.0, 179.99)]       // antimeridian
    [InlineData(-0.001, -179.999)]  // antimeridian, south
    [InlineData(89.7, 12.0)]        // near the north pole
    [InlineData(-85.0, -60.0)]      // far south
    [InlineData(60.17, 24.94)]      // Helsinki
    public void Cover_contains_every_point_within_the_radius(double lat, double lng)
    {
        var random = new Random(42);
        var center = new GeoPoint(lng, lat);
        foreach (var radius in new[] { 100.0, 1_000, 5_000, 50_000 })
        foreach (var precision in new[] { 4, 5, 6 })
        {
            if (Geohash.CoverCount(lat, lng, radius, precision) > 200_000) continue;
            var cells = Geohash.Cover(lat, lng, radius, precision).ToHashSet();
            Assert.Equal(Geohash.CoverCount(lat, lng, radius, precision), cells.Count);
            for (var i = 0; i < 500; i++)
            {
                // Points on the rim are the hardest case; half of them sit exactly at the radius.
                var distance = i % 2 == 0 ? radius : random.NextDouble() * radius;
                var point = GeoTestMath.Destination(center, random.NextDouble() * 360, distance);
                if (GeoMath.DistanceM(center, point) > radius) continue;
                Assert.Contains(Geohash.Encode(point.Latitude, point.Longitude, precision), cells);
            }
        }
    }

    [Fact]
    public void Search_precision_keeps_the_covering_small()
    {
        var maxCells = new CityArray.Grains.CivicOptions().MaxSearchCells;
        Assert.Equal(5, GeoIndex.SearchPrecision(new GeoPoint(-74.08, 4.65), 1_000, maxCells));
        Assert.Equal(4, GeoIndex.SearchPrecision(new GeoPoint(-74.08, 4.65), 5_000, maxCells));
        Assert.Equal(4, GeoIndex.SearchPrecision(new GeoPoint(-74.08, 4.65), 50_000, maxCells));
        Assert.InRange(Geohash.CoverCount(4.65, -74.08, 5_000, 4), 1, maxCells);
        Assert.InRange(Geohash.CoverCount(4.65, -74.08, 1_000, 5), 1, maxCells);
        Assert.Equal(5, GeoIndex.SearchPrecision(new GeoPoint(-74.08, 4.65), 5_000, 100)); // a larger budget picks finer cells
        Assert.True(Geohash.CoverCount(4.65, -74.08, 50_000, 4) <= 100);
    }

    [Fact]
    public void Haversine_gives_known_distances()
    {
        Assert.InRange(GeoMath.DistanceM(Places.Bogota, Places.Medellin), 235_000, 250_000);
        Assert.Equal(0, GeoMath.DistanceM(Places.Bogota, Places.Bogota));
        Assert.InRange(GeoMath.DistanceM(new GeoPoint(0, 0), new GeoPoint(1, 0)), 111_190, 111_200);
    }

    [Theory]
    [InlineData(4.71, -74.07)]
    [InlineData(60, 10)]
    [InlineData(-33.9, 151.2)]
    [InlineData(0, 179.99)]
    public void Min_distance_to_a_box_never_passes_the_distance_to_any_point_in_it_and_is_close_to_the_nearest(double lat, double lng)
    {
        var random = new Random(7);
        var center = new GeoPoint(lng, lat);
        for (var i = 0; i < 200; i++)
        {
            // A box somewhere within ~50 km, of geohash-like sizes (0.02 to 0.4 degrees).
            var corner = GeoTestMath.InBox(random, center, 0.5);
            var (w, h) = (0.02 + random.NextDouble() * 0.4, 0.02 + random.NextDouble() * 0.2);
            var (minLat, minLng, maxLat, maxLng) = (corner.Latitude, corner.Longitude, corner.Latitude + h, corner.Longitude + w);
            var bound = GeoMath.MinDistanceM(center, minLat, minLng, maxLat, maxLng);
            var nearest = double.MaxValue;
            for (var x = 0; x <= 40; x++)
            for (var y = 0; y <= 40; y++)
            {
                var p = new GeoPoint(minLng + w * x / 40, minLat + h * y / 40);
                var d = GeoMath.DistanceM(center, p);
                Assert.True(bound <= d + 1e-6, $"bound {bound} m passes the distance {d} m to ({p.Longitude}, {p.Latitude})");
                nearest = Math.Min(nearest, d);
            }
            // Tight enough to prune: the larger of the two gaps, so at least the nearest point's distance over sqrt(2)
            // (beside a corner), less a grid step of the sampling (at most ~1.2 km here).
            Assert.True(bound >= nearest / Math.Sqrt(2) - 1_300, $"bound {bound} m, nearest point {nearest} m");
        }
        Assert.Equal(0, GeoMath.MinDistanceM(center, lat - 0.1, lng - 0.1, lat + 0.1, lng + 0.1));
    }

    [Theory]
    [InlineData(4.71, 5_000)]
    [InlineData(60, 50_000)]
    [InlineData(-80, 200_000)]
    public void Longitude_reach_bounds_every_point_within_the_distance_and_is_reached(double lat, double distanceM)
    {
        var center = new GeoPoint(10, lat);
        var reach = GeoMath.LongitudeReachDegrees(lat, distanceM);
        var widest = 0.0;
        for (var bearing = 0.0; bearing < 360; bearing += 0.25)
        {
            var gap = GeoMath.LongitudeGap(GeoTestMath.Destination(center, bearing, distanceM).Longitude, center.Longitude);
            Assert.True(gap <= reach + 1e-9, $"bearing {bearing}: {gap} degrees past the reach {reach}");
            widest = Math.Max(widest, gap);
        }
        Assert.InRange(widest, reach * 0.999, reach);
        Assert.Equal(180, GeoMath.LongitudeReachDegrees(89.99, 5_000)); // the cap reaches the pole: every longitude
    }
}

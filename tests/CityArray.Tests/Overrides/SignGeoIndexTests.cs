using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Signs;

namespace CityArray.Tests.Overrides;

/// <summary>
/// The geohash index of signs the directory shards resolve areas with: for circles and polygons of many sizes it finds
/// exactly the signs a check of every sign finds, while reading only the signs of the covering cells.
/// </summary>
public sealed class SignGeoIndexTests
{
    [Fact]
    public void Areas_resolved_from_the_covering_cells_match_a_check_of_every_sign_and_read_few_signs_for_a_small_area()
    {
        var random = new Random(7);
        var index = new SignGeoIndex();
        var signs = new Dictionary<string, GeoPoint>();
        for (var i = 0; i < 5000; i++)
        {
            var point = new GeoPoint(-74.07 + (random.NextDouble() - 0.5) * 0.4, 4.71 + (random.NextDouble() - 0.5) * 0.4);
            signs[$"s{i}"] = point;
            index.Add($"s{i}", point);
        }
        // Moving signs keeps the index right: half of them move once.
        for (var i = 0; i < 2500; i++)
        {
            var moved = new GeoPoint(-74.07 + (random.NextDouble() - 0.5) * 0.4, 4.71 + (random.NextDouble() - 0.5) * 0.4);
            index.Remove($"s{i}", signs[$"s{i}"]);
            index.Add($"s{i}", moved);
            signs[$"s{i}"] = moved;
        }

        for (var round = 0; round < 60; round++)
        {
            var center = new GeoPoint(-74.07 + (random.NextDouble() - 0.5) * 0.4, 4.71 + (random.NextDouble() - 0.5) * 0.4);
            var size = new[] { 50.0, 300, 2000, 20000 }[round % 4];
            OverrideArea area = round % 2 == 0
                ? new OverrideArea(new AreaCircle(center, size), null)
                : new OverrideArea(null, GeoArea.Close(Triangle(center, size)));
            var expected = signs.Where(s => GeoArea.Contains(area, s.Value)).Select(s => s.Key).Order().ToArray();
            var candidates = index.Candidates(area);
            Assert.NotNull(candidates);
            Assert.Equal(expected, candidates.Where(id => GeoArea.Contains(area, signs[id])).Order().ToArray());
            if (size <= 300) Assert.True(candidates.Count < signs.Count / 10, $"a {size} m area read {candidates.Count} of {signs.Count} signs");
        }
    }

    [Fact]
    public void A_country_sized_area_falls_back_to_checking_every_sign()
    {
        var index = new SignGeoIndex();
        index.Add("s", new GeoPoint(-74.07, 4.71));
        Assert.Null(index.Candidates(new OverrideArea(null, GeoArea.Close([new(-80, -5), new(-60, -5), new(-70, 12)]))));
    }

    /// <summary>A triangle around <paramref name="center"/> about <paramref name="sizeM"/> metres across.</summary>
    private static IReadOnlyList<GeoPoint> Triangle(GeoPoint center, double sizeM)
    {
        var d = sizeM / 111_000;
        return [new(center.Longitude - d, center.Latitude - d), new(center.Longitude + d, center.Latitude - d), new(center.Longitude, center.Latitude + d)];
    }
}

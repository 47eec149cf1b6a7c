using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Tests.Overrides;

/// <summary>The override area geometry: haversine circles and ray-cast polygons.</summary>
public sealed class GeoAreaTests
{
    private static readonly GeoPoint Bogota = new(-74.07, 4.71);

    [Fact]
    public void A_circle_covers_points_within_its_radius_only()
    {
        var circle = new OverrideArea(new AreaCircle(Bogota, 300), null);
        Assert.True(GeoArea.Contains(circle, Bogota));
        Assert.True(GeoArea.Contains(circle, new GeoPoint(-74.07, 4.7125)));   // ~278 m north
        Assert.False(GeoArea.Contains(circle, new GeoPoint(-74.07, 4.7130)));  // ~334 m north
        Assert.False(GeoArea.Contains(circle, null));
    }

    [Fact]
    public void A_polygon_covers_its_inside_including_a_concave_one()
    {
        // An L shape: the notch at the top right is outside.
        GeoPoint[] ring = [new(0, 0), new(2, 0), new(2, 1), new(1, 1), new(1, 2), new(0, 2), new(0, 0)];
        var area = new OverrideArea(null, ring);
        Assert.True(GeoArea.Contains(area, new GeoPoint(0.5, 0.5)));
        Assert.True(GeoArea.Contains(area, new GeoPoint(1.5, 0.5)));
        Assert.True(GeoArea.Contains(area, new GeoPoint(0.5, 1.5)));
        Assert.False(GeoArea.Contains(area, new GeoPoint(1.5, 1.5)));
        Assert.False(GeoArea.Contains(area, new GeoPoint(3, 0.5)));
        Assert.False(GeoArea.Contains(area, new GeoPoint(-0.5, 0.5)));
        Assert.False(GeoArea.Contains(area, null));
    }

    [Fact]
    public void An_open_ring_is_closed_and_a_closed_one_kept()
    {
        GeoPoint[] open = [new(0, 0), new(1, 0), new(1, 1), new(0, 1)];
        Assert.Equal(open.Append(open[0]), GeoArea.Close(open));
        GeoPoint[] closed = [.. open, open[0]];
        Assert.Same(closed, GeoArea.Close(closed));
        Assert.True(GeoArea.InPolygon(open, new GeoPoint(0.5, 0.5)));
    }
}

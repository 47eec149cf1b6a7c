using CityArray.Grains.Geo;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Signs;

/// <summary>
/// A geohash index of signs by position (the cells of the civic events index: precisions 4, 5 and 6, see
/// <see cref="GeoIndex"/>), kept in memory by each sign directory shard from its durable coordinates and updated when a
/// sign registers or moves. An area (circle or polygon) is resolved from the cells covering it, at the finest precision
/// whose cover has at most <see cref="MaxCells"/> cells, then each candidate is checked exactly.
/// </summary>
public sealed class SignGeoIndex
{
    /// <summary>The most cells one area lookup reads; an area needing more at precision 4 reads those anyway.</summary>
    public const int MaxCells = 64;

    private readonly Dictionary<string, HashSet<string>> _cells = new(StringComparer.Ordinal);

    /// <summary>Lists the sign at <paramref name="point"/>.</summary>
    public void Add(string signId, GeoPoint point)
    {
        foreach (var cell in GeoIndex.CellsOf(point))
        {
            if (!_cells.TryGetValue(cell, out var members)) _cells[cell] = members = new HashSet<string>(StringComparer.Ordinal);
            members.Add(signId);
        }
    }

    /// <summary>Takes the sign out of the cells of <paramref name="point"/>.</summary>
    public void Remove(string signId, GeoPoint point)
    {
        foreach (var cell in GeoIndex.CellsOf(point))
            if (_cells.TryGetValue(cell, out var members) && members.Remove(signId) && members.Count == 0) _cells.Remove(cell);
    }

    /// <summary>Past this many cells at the coarsest precision (a country-sized area) a lookup checks every sign instead.</summary>
    public const int MaxCoarseCells = 4096;

    /// <summary>
    /// The signs listed in the cells covering <paramref name="area"/> (a superset of those inside it), or null when the
    /// area is so large that checking every sign is cheaper.
    /// </summary>
    public IReadOnlyCollection<string>? Candidates(OverrideArea area)
    {
        var (center, radiusM) = Enclosing(area);
        if (Geohash.CoverCount(center.Latitude, center.Longitude, radiusM, GeoIndex.Precisions[0]) > MaxCoarseCells) return null;
        var precision = GeoIndex.SearchPrecision(center, radiusM, MaxCells);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in Geohash.Cover(center.Latitude, center.Longitude, radiusM, precision))
            if (_cells.TryGetValue(cell, out var members)) found.UnionWith(members);
        return found;
    }

    /// <summary>A circle containing the area: the circle itself, or one around the polygon's bounding box.</summary>
    public static (GeoPoint Center, double RadiusM) Enclosing(OverrideArea area)
    {
        if (area.Circle is { } circle) return (circle.Center, circle.RadiusM);
        var ring = area.Polygon ?? [];
        if (ring.Count == 0) return (new GeoPoint(0, 0), 0);
        double minLng = ring.Min(p => p.Longitude), maxLng = ring.Max(p => p.Longitude);
        double minLat = ring.Min(p => p.Latitude), maxLat = ring.Max(p => p.Latitude);
        var center = new GeoPoint((minLng + maxLng) / 2, (minLat + maxLat) / 2);
        // The farthest ring point from the centre bounds every point inside the ring (the ring is within its bounding box,
        // whose corners are no farther than the farthest of its points' box corners); a 1 m margin absorbs rounding.
        var corners = new[] { new GeoPoint(minLng, minLat), new GeoPoint(minLng, maxLat), new GeoPoint(maxLng, minLat), new GeoPoint(maxLng, maxLat) };
        return (center, corners.Max(c => GeoMath.DistanceM(center, c)) + 1);
    }
}

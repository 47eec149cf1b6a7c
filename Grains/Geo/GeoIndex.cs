using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Geo;

/// <summary>
/// The layout of the nearby-events index: each active event is listed in its geohash cell at precisions
/// 4 (about 39 x 20 km) and 5 (about 4.9 x 4.9 km). A search uses the finest precision whose covering of the circle
/// has at most <see cref="CivicOptions.MaxSearchCells"/> cells (default 4), else precision 4: a grain call costs far
/// more than scanning a cell's latitude band, so few larger cells answer faster than many small ones.
/// </summary>
public static class GeoIndex
{
    /// <summary>Indexed precisions, coarsest first.</summary>
    public static readonly IReadOnlyList<int> Precisions = [4, 5];

    /// <summary>Precisions events were listed in by earlier versions (6): removal still clears them.</summary>
    public static readonly IReadOnlyList<int> RetiredPrecisions = [6];

    /// <summary>The cells an event at <paramref name="point"/> is listed in.</summary>
    public static IEnumerable<string> CellsOf(GeoPoint point) =>
        Precisions.Select(p => Geohash.Encode(point.Latitude, point.Longitude, p));

    /// <summary>Every cell an event at <paramref name="point"/> may be listed in, including retired precisions.</summary>
    public static IEnumerable<string> AllCellsOf(GeoPoint point) =>
        Precisions.Concat(RetiredPrecisions).Select(p => Geohash.Encode(point.Latitude, point.Longitude, p));

    /// <summary>The precision a search of the circle uses.</summary>
    public static int SearchPrecision(GeoPoint center, double radiusM, int maxCells)
    {
        for (var i = Precisions.Count - 1; i > 0; i--)
        {
            if (Geohash.CoverCount(center.Latitude, center.Longitude, radiusM, Precisions[i]) <= maxCells) return Precisions[i];
        }
        return Precisions[0];
    }
}

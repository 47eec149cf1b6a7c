using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Geo;

/// <summary>
/// The layout of the nearby-events index: each active event is listed in its geohash cell at precisions
/// 4 (about 39 x 20 km), 5 (about 4.9 x 4.9 km) and 6 (about 1.2 x 0.6 km). A search uses the finest precision
/// whose covering of the circle has at most <see cref="CivicOptions.MaxSearchCells"/> cells, else precision 4.
/// </summary>
public static class GeoIndex
{
    /// <summary>Indexed precisions, coarsest first.</summary>
    public static readonly IReadOnlyList<int> Precisions = [4, 5, 6];

    /// <summary>The cells an event at <paramref name="point"/> is listed in.</summary>
    public static IEnumerable<string> CellsOf(GeoPoint point) =>
        Precisions.Select(p => Geohash.Encode(point.Latitude, point.Longitude, p));

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

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>
/// Geohash cells (base32, longitude bit first): encoding a point, a cell's bounds, and the cells that cover a circle.
/// A cell of precision <c>p</c> is a grid square <c>(x, y)</c> of <c>2^lngBits x 2^latBits</c> over the world.
/// </summary>
public static class Geohash
{
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";
    public const int MaxPrecision = 12;

    /// <summary>The cell of precision <paramref name="precision"/> holding the point.</summary>
    public static string Encode(double latitude, double longitude, int precision)
    {
        var (lngBits, latBits) = Bits(precision);
        return FromGrid(GridIndex(longitude + 180, 360, lngBits), GridIndex(latitude + 90, 180, latBits), precision);
    }

    /// <summary>The cell's south-west and north-east corners in degrees.</summary>
    public static (double MinLat, double MinLng, double MaxLat, double MaxLng) Bounds(string geohash)
    {
        var (x, y) = ToGrid(geohash);
        var (width, height) = CellSize(geohash.Length);
        return (y * height - 90, x * width - 180, (y + 1) * height - 90, (x + 1) * width - 180);
    }

    /// <summary>Cell width (longitude) and height (latitude) in degrees at a precision.</summary>
    public static (double Width, double Height) CellSize(int precision)
    {
        var (lngBits, latBits) = Bits(precision);
        return (360.0 / (1L << lngBits), 180.0 / (1L << latBits));
    }

    /// <summary>
    /// How many cells <see cref="Cover"/> returns for the circle, without listing them
    /// (so a search can pick a precision cheaply).
    /// </summary>
    public static long CoverCount(double latitude, double longitude, double radiusM, int precision)
    {
        var (x0, x1, y0, y1, lngCells) = CoverRange(latitude, longitude, radiusM, precision);
        return Math.Min(x1 - x0 + 1, lngCells) * (y1 - y0 + 1);
    }

    /// <summary>
    /// Every cell of the precision that may hold a point within <paramref name="radiusM"/> metres (great-circle)
    /// of the centre: the cells meeting the circle's latitude/longitude bounding box, which contains the circle.
    /// </summary>
    public static IReadOnlyList<string> Cover(double latitude, double longitude, double radiusM, int precision)
    {
        var (x0, x1, y0, y1, lngCells) = CoverRange(latitude, longitude, radiusM, precision);
        var columns = Math.Min(x1 - x0 + 1, lngCells);
        var cells = new List<string>((int)Math.Min(columns * (y1 - y0 + 1), 1_000_000));
        for (var i = 0L; i < columns; i++)
        {
            var x = ((x0 + i) % lngCells + lngCells) % lngCells; // wraps across the antimeridian
            for (var y = y0; y <= y1; y++) cells.Add(FromGrid(x, y, precision));
        }
        return cells;
    }

    private static (long X0, long X1, long Y0, long Y1, long LngCells) CoverRange(double latitude, double longitude, double radiusM, int precision)
    {
        var (lngBits, latBits) = Bits(precision);
        long lngCells = 1L << lngBits, latCells = 1L << latBits;
        // Every point within the radius differs in latitude by at most the angular radius; a tiny margin absorbs rounding.
        const double margin = 1e-6;
        var angular = GeoMath.ToDegrees(radiusM / GeoMath.EarthRadiusM);
        var minLat = latitude - angular - margin;
        var maxLat = latitude + angular + margin;
        // The circle reaches a pole or wraps the globe: every longitude.
        var reach = GeoMath.LongitudeReachDegrees(latitude, radiusM);
        var (minLng, maxLng) = reach >= 180
            ? (-180.0, 180.0)
            : (longitude - reach - margin, longitude + reach + margin);
        var x0 = (long)Math.Floor((minLng + 180) / 360 * lngCells);
        var x1 = (long)Math.Floor((maxLng + 180) / 360 * lngCells);
        if (maxLng - minLng >= 360) (x0, x1) = (0, lngCells - 1);
        var y0 = Math.Max(0, (long)Math.Floor((Math.Max(minLat, -90) + 90) / 180 * latCells));
        var y1 = Math.Min(latCells - 1, (long)Math.Floor((Math.Min(maxLat, 90) + 90) / 180 * latCells));
        return (x0, x1, y0, y1, lngCells);
    }

    private static (int LngBits, int LatBits) Bits(int precision)
    {
        if (precision is < 1 or > MaxPrecision) throw new ArgumentOutOfRangeException(nameof(precision), precision, $"precision must be 1-{MaxPrecision}");
        var bits = precision * 5;
        return ((bits + 1) / 2, bits / 2);
    }

    private static long GridIndex(double offset, double span, int bits)
    {
        var cells = 1L << bits;
        return Math.Clamp((long)Math.Floor(offset / span * cells), 0, cells - 1);
    }

    private static string FromGrid(long x, long y, int precision)
    {
        var (lngBits, latBits) = Bits(precision);
        Span<char> chars = stackalloc char[precision];
        int li = lngBits, ai = latBits;
        for (var c = 0; c < precision; c++)
        {
            var value = 0;
            for (var b = 0; b < 5; b++)
            {
                var bit = (c * 5 + b) % 2 == 0 ? (x >> --li) & 1 : (y >> --ai) & 1;
                value = (value << 1) | (int)bit;
            }
            chars[c] = Alphabet[value];
        }
        return new string(chars);
    }

    private static (long X, long Y) ToGrid(string geohash)
    {
        long x = 0, y = 0;
        for (var c = 0; c < geohash.Length; c++)
        {
            var value = Alphabet.IndexOf(geohash[c]);
            if (value < 0) throw new ArgumentException($"'{geohash}' is not a geohash", nameof(geohash));
            for (var b = 4; b >= 0; b--)
            {
                long bit = (value >> b) & 1;
                if ((c * 5 + 4 - b) % 2 == 0) x = (x << 1) | bit;
                else y = (y << 1) | bit;
            }
        }
        return (x, y);
    }
}

using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Geo;

/// <summary>
/// A geo cell's entries for search, rebuilt after a change of membership: cut into longitude strips of equal width
/// (about <see cref="EntriesPerStrip"/> entries each where events are spread evenly), each strip sorted by latitude
/// (parallel arrays). A search scans the strips nearest in longitude first, each outward from the centre's latitude, and
/// keeps its nearest <c>limit</c> in a bounded heap; once the heap is full, the farthest kept hit bounds everything left:
/// a strip whose longitude gap passes its longitude reach is not scanned, and a strip's scan stops where the latitude
/// gap alone passes its distance. A dense cell thus computes a few dozen distances instead of every entry of a
/// latitude band as wide as the cell.
/// </summary>
internal sealed class GeoCellIndex
{
    /// <summary>Entries per strip aimed at: a few strips where a cell holds few events, up to <see cref="MaxStrips"/>.</summary>
    internal const int EntriesPerStrip = 128;

    private const int MaxStrips = 64;

    private readonly Strip[] _strips;

    /// <summary>The bounded heap of a search, reused: a search runs to its end within one turn of the grain.</summary>
    private readonly PriorityQueue<GeoCellItem, (double Distance, string Id)> _heap = new(Farthest.Instance);

    public GeoCellIndex(IReadOnlyCollection<GeoCellItem> items)
    {
        var all = items.ToArray();
        var (west, east) = all.Length == 0 ? (0.0, 0.0) : (all.Min(i => i.Coordinates.Longitude), all.Max(i => i.Coordinates.Longitude));
        var count = east > west ? Math.Clamp(all.Length / EntriesPerStrip, 1, MaxStrips) : 1;
        var width = (east - west) / count;
        _strips = all
            .GroupBy(i => Math.Min(count - 1, width > 0 ? (int)((i.Coordinates.Longitude - west) / width) : 0))
            .Select(g => new Strip(g.ToArray()))
            .ToArray();
    }

    /// <summary>
    /// The nearest <paramref name="limit"/> active entries within the radius, nearest first (ties by id), whose
    /// view is unknown or active and not created before <paramref name="createdAfter"/>; and the ids past their lifetime.
    /// </summary>
    public ((GeoCellItem Item, double Distance)[] Nearest, List<string>? Expired) Nearest(
        GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter, HashSet<string>? skip)
    {
        _heap.Clear();
        var search = new Search(center, maxDistanceM, limit, createdAfter, skip, _heap);
        // Nearest strips in longitude first: once their hits fill the heap, the reach shrinks and farther strips drop out.
        Span<double> gaps = stackalloc double[_strips.Length];
        Span<int> order = stackalloc int[_strips.Length];
        for (var s = 0; s < _strips.Length; s++)
        {
            gaps[s] = _strips[s].LongitudeGap(center.Longitude);
            order[s] = s;
        }
        gaps.Sort(order);
        for (var k = 0; k < order.Length && (search.Reach >= 180 || gaps[k] <= search.Reach); k++)
            _strips[order[k]].Scan(ref search);

        var heap = _heap;
        var nearest = new (GeoCellItem Item, double Distance)[heap.Count];
        for (var k = nearest.Length - 1; heap.TryDequeue(out var kept, out var priority); k--) nearest[k] = (kept, priority.Distance);
        return (nearest, search.Expired);
    }

    /// <summary>The state of one search across the strips.</summary>
    private struct Search(GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter, HashSet<string>? skip,
        PriorityQueue<GeoCellItem, (double Distance, string Id)> heap)
    {
        /// <summary>Rounding margin of the latitude band and the reach.</summary>
        public const double Margin = 1e-6;

        public readonly GeoPoint Center = center;
        public readonly double MaxDistanceM = maxDistanceM;
        /// <summary>The circle's latitude half-band in degrees (as Geohash.Cover computes it).</summary>
        public readonly double Angular = GeoMath.ToDegrees(maxDistanceM / GeoMath.EarthRadiusM);
        public readonly int Limit = limit;
        public readonly DateTimeOffset CreatedAfter = createdAfter;
        public readonly HashSet<string>? Skip = skip;
        public readonly PriorityQueue<GeoCellItem, (double Distance, string Id)> Heap = heap;
        /// <summary>Longitude reach in degrees (180: no limit): the radius's, then the farthest kept hit's once the heap is full.</summary>
        public double Reach = LongitudeReach(center.Latitude, maxDistanceM);
        public List<string>? Expired;

        public readonly bool Full => Heap.Count == Limit;

        public readonly (double Distance, string Id) Worst
        {
            get
            {
                Heap.TryPeek(out _, out var priority);
                return priority;
            }
        }
    }

    /// <summary>The longitude reach of a distance in degrees plus a rounding margin (180: no limit).</summary>
    private static double LongitudeReach(double latitude, double distanceM) => GeoMath.LongitudeReachDegrees(latitude, distanceM) + Search.Margin;

    /// <summary>One longitude strip: its entries sorted by latitude (parallel arrays) and its longitude range.</summary>
    private sealed class Strip
    {
        private readonly GeoCellItem[] _items;
        private readonly double[] _latitudes;
        private readonly double[] _longitudes;
        private readonly double _west;
        private readonly double _east;

        public Strip(GeoCellItem[] items)
        {
            _items = items;
            _latitudes = items.Select(i => i.Coordinates.Latitude).ToArray();
            Array.Sort(_latitudes, _items);
            _longitudes = _items.Select(i => i.Coordinates.Longitude).ToArray();
            (_west, _east) = (_longitudes.Min(), _longitudes.Max());
        }

        /// <summary>The longitude gap in degrees from <paramref name="longitude"/> to the nearest entry's side of the strip (0 inside it).</summary>
        public double LongitudeGap(double longitude) =>
            longitude >= _west && longitude <= _east ? 0 : Math.Min(GeoMath.LongitudeGap(longitude, _west), GeoMath.LongitudeGap(longitude, _east));

        /// <summary>
        /// Outward from the centre's latitude, always taking the side whose next entry is nearer in latitude: once the heap
        /// is full and the latitude gap alone (a lower bound of the great-circle distance) passes the farthest kept hit, no
        /// entry left on either side can enter, so the scan stops early.
        /// </summary>
        public void Scan(ref Search s)
        {
            var center = s.Center;
            int up = LowerBound(_latitudes, center.Latitude), down = up - 1;
            while (up < _latitudes.Length || down >= 0)
            {
                var takeUp = down < 0 || (up < _latitudes.Length && _latitudes[up] - center.Latitude <= center.Latitude - _latitudes[down]);
                var i = takeUp ? up++ : down--;
                var gap = Math.Abs(_latitudes[i] - center.Latitude);
                if (gap > s.Angular + Search.Margin) { if (takeUp) up = _latitudes.Length; else down = -1; continue; }
                if (s.Full && GeoMath.EarthRadiusM * GeoMath.ToRadians(gap) * (1 - 1e-9) > s.Worst.Distance + 1e-6) break;
                if (s.Reach < 180 && GeoMath.LongitudeGap(_longitudes[i], center.Longitude) > s.Reach) continue;
                var item = _items[i];
                var distance = GeoMath.DistanceM(center, item.Coordinates);
                if (distance > s.MaxDistanceM) continue;
                if (s.Full && Farthest.Instance.Compare((distance, item.EventId), s.Worst) <= 0) continue;
                if (item.View is { } view)
                {
                    if (view.Status != EventStatus.Active) continue;
                    if (view.CreatedAt < s.CreatedAfter) { (s.Expired ??= []).Add(item.EventId); continue; }
                }
                else if (s.Skip is not null && s.Skip.Contains(item.EventId)) continue;
                if (s.Heap.Count < s.Limit) s.Heap.Enqueue(item, (distance, item.EventId));
                else s.Heap.EnqueueDequeue(item, (distance, item.EventId));
                // Full: only entries nearer than the farthest kept one can enter, so the longitude reach shrinks to its distance.
                if (s.Full) s.Reach = Math.Min(s.Reach, LongitudeReach(center.Latitude, s.Worst.Distance));
            }
        }

        private static int LowerBound(double[] sorted, double value)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (sorted[mid] < value) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }

    /// <summary>Farthest first (distance, then id ordinal, reversed): the heap's top is the worst kept hit.</summary>
    private sealed class Farthest : IComparer<(double Distance, string Id)>
    {
        public static readonly Farthest Instance = new();

        public int Compare((double Distance, string Id) a, (double Distance, string Id) b)
        {
            var c = b.Distance.CompareTo(a.Distance);
            return c != 0 ? c : string.CompareOrdinal(b.Id, a.Id);
        }
    }
}

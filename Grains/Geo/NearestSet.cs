using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Geo;

/// <summary>
/// Keeps the nearest <c>limit</c> hits offered to it (a bounded max-heap: O(n log limit) instead of sorting every hit);
/// order is distance, then event id (ordinal), so results are deterministic and equal to a full sort's first <c>limit</c>.
/// </summary>
public sealed class NearestSet(int limit)
{
    private static readonly IComparer<GeoCellHit> Farthest = Comparer<GeoCellHit>.Create((a, b) => -Compare(a, b));
    private readonly PriorityQueue<GeoCellHit, GeoCellHit> _heap = new(Farthest);

    /// <summary>Nearest first, ties by id (ordinal).</summary>
    public static int Compare(GeoCellHit a, GeoCellHit b)
    {
        var c = a.DistanceM.CompareTo(b.DistanceM);
        return c != 0 ? c : string.CompareOrdinal(a.Entry.EventId, b.Entry.EventId);
    }

    /// <summary>
    /// The distance a hit must not pass to still enter: the farthest kept hit's once <c>limit</c> are kept, otherwise
    /// <paramref name="radiusM"/> (the search radius).
    /// </summary>
    public double Bound(double radiusM) => _heap.Count < limit ? radiusM : _heap.Peek().DistanceM;

    /// <summary>Offers a hit; it is kept when it is among the nearest <c>limit</c> so far.</summary>
    public void Offer(GeoCellHit hit)
    {
        if (_heap.Count < limit) { _heap.Enqueue(hit, hit); return; }
        if (Compare(hit, _heap.Peek()) < 0) _heap.EnqueueDequeue(hit, hit);
    }

    /// <summary>The kept hits, nearest first.</summary>
    public IReadOnlyList<GeoCellHit> ToSortedList()
    {
        var list = _heap.UnorderedItems.Select(i => i.Element).ToList();
        list.Sort(Compare);
        return list;
    }
}

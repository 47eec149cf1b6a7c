using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Geo;

/// <summary>
/// Keeps the nearest <c>limit</c> hits offered to it (a bounded max-heap: O(n log limit) instead of sorting every hit);
/// order is distance, then event id (ordinal), so results are deterministic and equal to a full sort's first <c>limit</c>.
/// An event offered again (listed in two cells while it moves) is kept once, as first offered.
/// </summary>
public sealed class NearestSet(int limit)
{
    private static readonly IComparer<GeoCellHit> Nearest = Comparer<GeoCellHit>.Create(Compare);
    private static readonly IComparer<GeoCellHit> Farthest = Comparer<GeoCellHit>.Create((a, b) => -Compare(a, b));
    private readonly PriorityQueue<GeoCellHit, GeoCellHit> _heap = new(limit + 1, Farthest);
    private HashSet<string>? _offered;

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

    /// <summary>
    /// Offers the hits of one cell (no event twice within it); each is kept when it is among the nearest <c>limit</c> so
    /// far. Events are told apart across cells only once a second cell is offered, so the usual search, answered by one
    /// cell, keeps no set of ids.
    /// </summary>
    public void OfferCell(IReadOnlyList<GeoCellHit> hits)
    {
        if (_offered is null && _heap.Count > 0)
        {
            // Every hit offered so far is still kept: one cell returns at most `limit` hits.
            _offered = new HashSet<string>(_heap.Count + hits.Count, StringComparer.Ordinal);
            foreach (var (kept, _) in _heap.UnorderedItems) _offered.Add(kept.Entry.EventId);
        }
        foreach (var hit in hits)
            if (_offered is null || _offered.Add(hit.Entry.EventId)) Offer(hit);
    }

    private void Offer(GeoCellHit hit)
    {
        if (_heap.Count < limit) { _heap.Enqueue(hit, hit); return; }
        if (Compare(hit, _heap.Peek()) < 0) _heap.EnqueueDequeue(hit, hit);
    }

    /// <summary>The kept hits, nearest first.</summary>
    public GeoCellHit[] ToSortedArray()
    {
        var sorted = new GeoCellHit[_heap.Count];
        var i = 0;
        foreach (var (kept, _) in _heap.UnorderedItems) sorted[i++] = kept;
        Array.Sort(sorted, Nearest);
        return sorted;
    }
}

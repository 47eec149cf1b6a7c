using System.Diagnostics;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;
using Orleans.Concurrency;

namespace CityArray.Grains.Geo;

/// <summary>
/// One geohash cell of the nearby-events index. Changes are group-committed: a call returns once a write that
/// includes its change has completed, and changes that arrive while a write is in flight share the next write, so a
/// busy cell writes far less often than once per change; a cell whose writes take long (a large cell) waits as long
/// again before the next one, so it spends at most about half its time writing. Only positions are stored
/// (compact arrays); the event as search shows it is kept in memory, refreshed by each re-listing of the event and
/// fetched from the event grain the first time an activation returns an event it has not seen listed.
/// <see cref="NearestAsync"/> scans the entries (sorted by latitude) outward from the centre's latitude, keeps the
/// nearest <c>limit</c> in a bounded heap, and stops once the latitude gap alone rules out every entry left.
/// </summary>
[Reentrant]
public sealed class GeoCellGrain(
    [PersistentState("geocell", StorageNames.Grains)] IPersistentState<GeoCellState> state) : Grain, IGeoCellGrain
{
    private static readonly TimeSpan ThrottleFrom = TimeSpan.FromMilliseconds(2);
    private readonly Dictionary<string, GeoCellItem> _items = new(StringComparer.Ordinal);
    private SortedIndex? _index;
    private Task _lastWrite = Task.CompletedTask;
    private Task? _nextWrite;
    private TimeSpan _lastWriteDuration;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        for (var i = 0; i < s.Ids.Length; i++) _items[s.Ids[i]] = new GeoCellItem(s.Ids[i], new GeoPoint(s.Longitudes[i], s.Latitudes[i]));
        foreach (var (id, entry) in s.Entries)
        {
            var item = new GeoCellItem(id, entry.Coordinates);
            item.SetView(entry.Event);
            _items.TryAdd(id, item);
        }
        foreach (var (id, point) in s.Events) _items.TryAdd(id, new GeoCellItem(id, point));
        return Task.CompletedTask;
    }

    public Task AddAsync(GeoCellEntry entry)
    {
        if (_items.TryGetValue(entry.EventId, out var existing) && existing.Coordinates == entry.Coordinates)
        {
            // Same position: nothing to store; the view (participant count, ...) is memory only.
            if (entry.Event is not null) existing.SetView(entry.Event);
            return PendingWrite();
        }
        var item = new GeoCellItem(entry.EventId, entry.Coordinates);
        item.SetView(entry.Event);
        _items[entry.EventId] = item;
        return PersistAsync();
    }

    public Task RemoveAsync(string eventId) => _items.Remove(eventId) ? PersistAsync() : PendingWrite();

    public Task<IReadOnlyList<GeoCellEntry>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<GeoCellEntry>>(_items.Values.Select(i => i.ToEntry()).ToArray());

    public async Task<IReadOnlyList<GeoCellHit>> NearestAsync(GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter)
    {
        limit = Math.Max(1, limit);
        HashSet<string>? unknown = null;
        while (true)
        {
            var (nearest, expired) = Index().Nearest(center, maxDistanceM, limit, createdAfter, unknown);
            // Past their lifetime: not shown; a call makes each end itself (and leave the index) before this answer.
            if (expired is not null) await Task.WhenAll(expired.Select(id => GrainFactory.GetGrain<IEventGrain>(id).GetAsync()));

            if (Array.TrueForAll(nearest, h => h.Item.Entry is not null))
            {
                var hits = new GeoCellHit[nearest.Length];
                for (var i = 0; i < hits.Length; i++) hits[i] = new GeoCellHit(nearest[i].Item.Entry!, nearest[i].Distance);
                return hits;
            }
            var missing = nearest.Where(h => h.Item.View is null).Select(h => h.Item).ToList();
            // Events this activation has not seen listed (stored positions only): read each once, then answer from memory.
            var views = await Task.WhenAll(missing.Select(i => GrainFactory.GetGrain<IEventGrain>(i.EventId).GetAsync()));
            for (var i = 0; i < missing.Count; i++)
            {
                if (views[i] is { } view) missing[i].SetView(view);
                else (unknown ??= new HashSet<string>(StringComparer.Ordinal)).Add(missing[i].EventId);
            }
        }
    }

    private SortedIndex Index() => _index ??= new SortedIndex(_items.Values);

    /// <summary>
    /// An unchanged call still waits for any write that may carry an earlier identical change; when the last write
    /// failed (and none is queued), the change may not be stored, so it writes again instead of repeating that failure.
    /// </summary>
    private Task PendingWrite() => _nextWrite ?? (_lastWrite.IsFaulted || _lastWrite.IsCanceled ? PersistAsync() : _lastWrite);

    private Task PersistAsync()
    {
        _index = null;
        return _nextWrite ??= WriteAfterAsync(_lastWrite);
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That batch's callers got its failure; this write carries their changes again.
        }
        // A large cell's write is long: waiting as long again lets more changes share the next one.
        if (_lastWriteDuration > ThrottleFrom) await Task.Delay(_lastWriteDuration);
        else await Task.Yield(); // let _nextWrite be assigned before this batch closes
        _nextWrite = null;
        var items = _items.Values.ToArray();
        state.State = new GeoCellState
        {
            Ids = items.Select(i => i.EventId).ToArray(),
            Longitudes = items.Select(i => i.Coordinates.Longitude).ToArray(),
            Latitudes = items.Select(i => i.Coordinates.Latitude).ToArray(),
        };
        var started = Stopwatch.GetTimestamp();
        var write = state.WriteStateAsync();
        _lastWrite = write;
        try
        {
            await write;
        }
        finally
        {
            _lastWriteDuration = Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>The cell's entries sorted by latitude (parallel arrays), rebuilt after a change of membership.</summary>
    private sealed class SortedIndex
    {
        private readonly GeoCellItem[] _items;
        private readonly double[] _latitudes;
        private readonly double[] _longitudes;

        /// <summary>The bounded heap of a scan, reused: a scan runs to its end within one turn of the grain.</summary>
        private readonly PriorityQueue<GeoCellItem, (double Distance, string Id)> _heap = new(Farthest.Instance);

        public SortedIndex(IEnumerable<GeoCellItem> items)
        {
            _items = items.ToArray();
            _latitudes = _items.Select(i => i.Coordinates.Latitude).ToArray();
            Array.Sort(_latitudes, _items);
            _longitudes = _items.Select(i => i.Coordinates.Longitude).ToArray();
        }

        /// <summary>
        /// The nearest <paramref name="limit"/> active entries within the radius, nearest first (ties by id), whose
        /// view is unknown or active and not created before <paramref name="createdAfter"/>; and the ids past their lifetime.
        /// </summary>
        public ((GeoCellItem Item, double Distance)[] Nearest, List<string>? Expired) Nearest(
            GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter, HashSet<string>? skip)
        {
            // The circle's latitude band and longitude reach (as Geohash.Cover computes them), with a margin that absorbs rounding.
            const double margin = 1e-6;
            var angular = GeoMath.ToDegrees(maxDistanceM / GeoMath.EarthRadiusM);
            var reach = LongitudeReach(center.Latitude, maxDistanceM);

            var heap = _heap;
            heap.Clear();
            List<string>? expired = null;
            // Outward from the centre's latitude, always taking the side whose next entry is nearer in latitude: once the
            // heap is full and the latitude gap alone (a lower bound of the great-circle distance) passes the farthest
            // kept hit, no entry left on either side can enter, so the scan stops early.
            int up = LowerBound(_latitudes, center.Latitude), down = up - 1;
            while (up < _latitudes.Length || down >= 0)
            {
                var takeUp = down < 0 || (up < _latitudes.Length && _latitudes[up] - center.Latitude <= center.Latitude - _latitudes[down]);
                var i = takeUp ? up++ : down--;
                var gap = Math.Abs(_latitudes[i] - center.Latitude);
                if (gap > angular + margin) { if (takeUp) up = _latitudes.Length; else down = -1; continue; }
                if (heap.Count == limit && GeoMath.EarthRadiusM * GeoMath.ToRadians(gap) * (1 - 1e-9) > PeekPriority(heap).Item1 + 1e-6) break;
                if (reach < 180 && GeoMath.LongitudeGap(_longitudes[i], center.Longitude) > reach) continue;
                var item = _items[i];
                var distance = GeoMath.DistanceM(center, item.Coordinates);
                if (distance > maxDistanceM) continue;
                if (heap.Count == limit && Farthest.Instance.Compare((distance, item.EventId), PeekPriority(heap)) <= 0) continue;
                if (item.View is { } view)
                {
                    if (view.Status != EventStatus.Active) continue;
                    if (view.CreatedAt < createdAfter) { (expired ??= []).Add(item.EventId); continue; }
                }
                else if (skip is not null && skip.Contains(item.EventId)) continue;
                if (heap.Count < limit) heap.Enqueue(item, (distance, item.EventId));
                else heap.EnqueueDequeue(item, (distance, item.EventId));
                // Full: only entries nearer than the farthest kept one can enter, so the longitude reach shrinks to its distance.
                if (heap.Count == limit) reach = Math.Min(reach, LongitudeReach(center.Latitude, PeekPriority(heap).Item1));
            }
            var nearest = new (GeoCellItem Item, double Distance)[heap.Count];
            for (var k = nearest.Length - 1; heap.TryDequeue(out var kept, out var priority); k--) nearest[k] = (kept, priority.Distance);
            return (nearest, expired);
        }

        /// <summary>The longitude reach of a distance in degrees plus a rounding margin (180: no limit).</summary>
        private static double LongitudeReach(double latitude, double distanceM) => GeoMath.LongitudeReachDegrees(latitude, distanceM) + 1e-6;

        private static (double, string) PeekPriority(PriorityQueue<GeoCellItem, (double Distance, string Id)> heap)
        {
            heap.TryPeek(out _, out var priority);
            return priority;
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

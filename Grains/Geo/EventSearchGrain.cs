using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Geo;

/// <summary>
/// Nearby search: asks the centre's own geohash cell for its nearest <c>limit</c> events within the exact great-circle
/// distance; then, in parallel, only the other cells covering the circle whose nearest possible point can still beat
/// the farthest hit kept (within that distance); merges them into the overall nearest <c>limit</c>.
/// Where events are dense one cell answers most searches. Cell entries carry the event as results show it, so no event
/// grain is called per hit (only for entries stored before cells carried the event). Events past their lifetime are
/// skipped (they end on their next call).
/// </summary>
[StatelessWorker]
[Reentrant] // holds no state: a call waiting on its downstream grain must not hold one of the few local workers
public sealed class EventSearchGrain(IOptions<CivicOptions> options, CityArrayClock clock) : Grain, IEventSearchGrain
{
    public async Task<IReadOnlyList<NearbyEvent>> NearbyAsync(GeoPoint center, double maxDistanceM, int limit = IEventSearchGrain.DefaultLimit)
    {
        CivicException.ThrowIfInvalid("coordinates", CivicValidation.Coordinates(center));
        if (!double.IsFinite(maxDistanceM) || maxDistanceM <= 0 || maxDistanceM > IEventSearchGrain.MaxDistanceLimitM)
            throw CivicException.Invalid("max_distance", $"max_distance must be more than 0 and at most {IEventSearchGrain.MaxDistanceLimitM:0} metres");
        if (limit is < 1 or > IEventSearchGrain.MaxLimit)
            throw CivicException.Invalid("limit", $"limit must be from 1 to {IEventSearchGrain.MaxLimit}");

        var precision = GeoIndex.SearchPrecision(center, maxDistanceM, options.Value.MaxSearchCells);
        var cellCount = Geohash.CoverCount(center.Latitude, center.Longitude, maxDistanceM, precision);
        if (cellCount > options.Value.MaxSearchFanout)
            throw CivicException.Invalid("max_distance",
                $"max_distance {maxDistanceM:0} m around lat {center.Latitude:0.####} needs {cellCount} index cells " +
                $"(at most {options.Value.MaxSearchFanout}): index cells are narrow near the poles, so search with a smaller max_distance there");
        var createdAfter = clock.GetUtcNow() - options.Value.MaxEventLifetime;
        var top = new NearestSet(limit);

        // The centre's own cell first: where events are dense its nearest `limit` are nearer than any other cell, so
        // the others are asked only when their nearest possible point can still beat the farthest hit kept (and only
        // within that distance).
        var home = Geohash.Encode(center.Latitude, center.Longitude, precision);
        top.OfferCell(await GrainFactory.GetGrain<IGeoCellGrain>(home).NearestAsync(center, maxDistanceM, limit, createdAfter));
        var bound = top.Bound(maxDistanceM);
        // Covered at the bound, not the radius: once the home cell answered, the circle left to search is usually small.
        var others = Geohash.Cover(center.Latitude, center.Longitude, bound, precision)
            .Where(c => c != home && MinDistanceM(center, c) <= bound).ToList();
        if (others.Count > 0)
        {
            var perCell = await Task.WhenAll(others.Select(c =>
                GrainFactory.GetGrain<IGeoCellGrain>(c).NearestAsync(center, bound, limit, createdAfter)));
            foreach (var found in perCell) top.OfferCell(found);
        }
        var hits = top.ToSortedArray();

        var result = new NearbyEvent[hits.Length];
        var count = 0;
        foreach (var hit in hits)
        {
            // Entries from before cells carried the event: read it from its grain (once, then the cell is rewritten on the event's next change).
            var view = hit.Entry.Event ?? await GrainFactory.GetGrain<IEventGrain>(hit.Entry.EventId).GetAsync();
            if (view is { Status: EventStatus.Active }) result[count++] = new NearbyEvent(view, hit.DistanceM);
        }
        return count == result.Length ? result : result[..count];
    }

    private static double MinDistanceM(GeoPoint center, string cell)
    {
        var (minLat, minLng, maxLat, maxLng) = Geohash.Bounds(cell);
        return GeoMath.MinDistanceM(center, minLat, minLng, maxLat, maxLng);
    }
}

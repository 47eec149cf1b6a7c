using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Civic;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CityArray.Grains.Civic;

/// <summary>
/// Nearby search: covers the circle with geohash cells, reads those cell grains in parallel, keeps the events
/// within the exact great-circle distance, then reads the live events (dropping any that ended meanwhile).
/// </summary>
[StatelessWorker]
public sealed class EventSearchGrain(IOptions<CivicOptions> options) : Grain, IEventSearchGrain
{
    public async Task<IReadOnlyList<NearbyEvent>> NearbyAsync(GeoPoint center, double maxDistanceM, int limit = 0)
    {
        CivicException.ThrowIfInvalid("coordinates", CivicValidation.Coordinates(center));
        if (!double.IsFinite(maxDistanceM) || maxDistanceM <= 0 || maxDistanceM > IEventSearchGrain.MaxDistanceLimitM)
            throw CivicException.Invalid("max_distance", $"max_distance must be more than 0 and at most {IEventSearchGrain.MaxDistanceLimitM:0} metres");

        var precision = GeoIndex.SearchPrecision(center, maxDistanceM, options.Value.MaxSearchCells);
        var cellCount = Geohash.CoverCount(center.Latitude, center.Longitude, maxDistanceM, precision);
        if (cellCount > options.Value.MaxSearchFanout)
            throw CivicException.Invalid("max_distance",
                $"max_distance {maxDistanceM:0} m around lat {center.Latitude:0.####} needs {cellCount} index cells " +
                $"(at most {options.Value.MaxSearchFanout}): index cells are narrow near the poles, so search with a smaller max_distance there");
        var cells = Geohash.Cover(center.Latitude, center.Longitude, maxDistanceM, precision);
        var entries = await Task.WhenAll(cells.Select(c => GrainFactory.GetGrain<IGeoCellGrain>(c).GetAllAsync()));

        IEnumerable<(string Id, double Distance)> hits = entries
            .SelectMany(e => e)
            .Select(e => (Id: e.EventId, Distance: GeoMath.DistanceM(center, e.Coordinates)))
            .Where(h => h.Distance <= maxDistanceM)
            .OrderBy(h => h.Distance)
            .ThenBy(h => h.Id, StringComparer.Ordinal);
        if (limit > 0) hits = hits.Take(limit);
        var list = hits.ToList();

        var views = await Task.WhenAll(list.Select(h => GrainFactory.GetGrain<IEventGrain>(h.Id).GetAsync()));
        var result = new List<NearbyEvent>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (views[i] is { Status: EventStatus.Active } view) result.Add(new NearbyEvent(view, list[i].Distance));
        }
        return result;
    }
}

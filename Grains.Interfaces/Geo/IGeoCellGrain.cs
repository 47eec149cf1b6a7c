using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Interfaces.Geo;

/// <summary>
/// One map cell of the nearby-events index (key = the geohash of the cell; its length is the precision).
/// Holds the active events whose position lies in the cell.
/// </summary>
[Alias("CityArray.IGeoCellGrain")]
public interface IGeoCellGrain : IGrainWithStringKey
{
    /// <summary>Adds or moves an event; idempotent.</summary>
    [Alias("Add")]
    Task AddAsync(GeoCellEntry entry);

    /// <summary>Removes an event; idempotent.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string eventId);

    /// <summary>
    /// The nearest at most <paramref name="limit"/> events of the cell within <paramref name="maxDistanceM"/> metres of
    /// <paramref name="center"/>, nearest first (ties by id), skipping events created before <paramref name="createdAfter"/>
    /// (they are past their lifetime and end on their next call).
    /// </summary>
    [Alias("Nearest"), ReadOnly]
    Task<IReadOnlyList<GeoCellHit>> NearestAsync(GeoPoint center, double maxDistanceM, int limit, DateTimeOffset createdAfter);

    /// <summary>Every event in the cell.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<GeoCellEntry>> GetAllAsync();
}

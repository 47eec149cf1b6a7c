namespace CityArray.Grains.Interfaces.Civic;

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

    /// <summary>Every event in the cell.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<GeoCellEntry>> GetAllAsync();
}

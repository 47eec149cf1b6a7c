using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// One shard of the durable sign directory (key: shard number): the known sign ids of that shard with their zone and
/// coordinates, so the fleet, a zone or an area can be listed without calling sign grains. A registration rewrites one
/// shard, not the whole fleet.
/// </summary>
[Alias("CityArray.ISignDirectoryGrain")]
public interface ISignDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a sign or updates its zone and coordinates; idempotent.</summary>
    [Alias("Upsert")]
    Task UpsertAsync(string signId, string? zone, GeoPoint? coordinates);

    /// <summary>The ids of the signs in <paramref name="zone"/>, sorted.</summary>
    [Alias("GetZone"), ReadOnly]
    Task<IReadOnlyList<string>> GetZoneAsync(string zone);

    /// <summary>The ids of the signs whose coordinates lie in <paramref name="area"/>, sorted.</summary>
    [Alias("GetInArea"), ReadOnly]
    Task<IReadOnlyList<string>> GetInAreaAsync(OverrideArea area);

    /// <summary>Every sign id of this shard, sorted.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<string>> GetAllAsync();
}

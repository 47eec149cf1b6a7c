namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The durable list of every known sign id (one instance, key 0), so the fleet can be listed.</summary>
[Alias("CityArray.ISignDirectoryGrain")]
public interface ISignDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a sign id; idempotent.</summary>
    [Alias("Add")]
    Task AddAsync(string signId);

    /// <summary>Moves a sign from zone <paramref name="oldZone"/> to <paramref name="newZone"/> in the zone index (null: no zone).</summary>
    [Alias("SetZone")]
    Task SetZoneAsync(string signId, string? oldZone, string? newZone);

    /// <summary>The ids of the signs in <paramref name="zone"/>, sorted.</summary>
    [Alias("GetZone"), ReadOnly]
    Task<IReadOnlyList<string>> GetZoneAsync(string zone);

    /// <summary>Every known sign id, sorted.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<string>> GetAllAsync();
}

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The durable list of every known sign id (one instance, key 0), so the fleet can be listed.</summary>
[Alias("CityArray.ISignDirectoryGrain")]
public interface ISignDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a sign id; idempotent.</summary>
    [Alias("Add")]
    Task AddAsync(string signId);

    /// <summary>Every known sign id, sorted.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<string>> GetAllAsync();
}

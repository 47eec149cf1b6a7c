namespace CityArray.Grains.Interfaces.Signs;

/// <summary>Fleet-wide reads, answered from the fleet snapshot (a stateless worker).</summary>
[Alias("CityArray.IFleetGrain")]
public interface IFleetGrain : IGrainWithIntegerKey
{
    /// <summary>A snapshot of every known sign, sorted by id.</summary>
    [Alias("GetAllSigns")]
    Task<IReadOnlyList<SignView>> GetAllSignsAsync();
}

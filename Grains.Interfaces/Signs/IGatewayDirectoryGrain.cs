namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The gateways of the cluster (one instance, key 0), held in memory: each gateway registers its
/// <see cref="IGatewayObserver"/> at start, on regaining the cluster and periodically; an entry not refreshed in time is dropped.
/// </summary>
[Alias("CityArray.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or refreshes a gateway; the answer says whether it must catch up (new, or a silo died since).</summary>
    [Alias("Register")]
    Task<GatewayRegistration> RegisterAsync(string gatewayId, IGatewayObserver observer);

    /// <summary>Removes a gateway that is stopping.</summary>
    [Alias("Unregister")]
    Task UnregisterAsync(string gatewayId);

    /// <summary>The live gateways.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<IGatewayObserver>> GetAllAsync();
}

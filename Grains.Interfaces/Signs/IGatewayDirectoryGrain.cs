namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The gateways of the cluster (one instance, key 0), held in memory: each gateway registers its
/// <see cref="IGatewayObserver"/> at start, on regaining the cluster and periodically; an entry not refreshed in time is dropped.
/// </summary>
[Alias("CityArray.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers or refreshes a gateway; true when it was not registered (the gateway then catches up).</summary>
    [Alias("Register")]
    Task<bool> RegisterAsync(string gatewayId, IGatewayObserver observer);

    /// <summary>Removes a gateway that is stopping.</summary>
    [Alias("Unregister")]
    Task UnregisterAsync(string gatewayId);

    /// <summary>The live gateways.</summary>
    [Alias("GetAll"), ReadOnly]
    Task<IReadOnlyList<IGatewayObserver>> GetAllAsync();
}

using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The small fleet-level registry of active overrides (one instance, key 0): what gateways and sign grains consult to
/// decide coverage, instead of a copy of every override in every sign's state.
/// </summary>
[Alias("CityArray.IFleetRegistryGrain")]
public interface IFleetRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records an active override; idempotent.</summary>
    [Alias("AddOverride")]
    Task<FleetRegistryView> AddOverrideAsync(ActiveOverride value);

    /// <summary>Moves an override to the recently ended list; idempotent. Null when it was not active.</summary>
    [Alias("EndOverride")]
    Task<ActiveOverride?> EndOverrideAsync(string overrideId, DateTimeOffset endedAt);

    /// <summary>
    /// Records an active broadcast message; idempotent. Returns the ids of the oldest broadcasts that gave way to stay
    /// within the registry's bound (their gateways must be told).
    /// </summary>
    [Alias("AddBroadcast")]
    Task<IReadOnlyList<string>> AddBroadcastAsync(ActiveBroadcast value);

    /// <summary>Removes a broadcast message (every covered sign acked it, or it expired); idempotent.</summary>
    [Alias("EndBroadcast")]
    Task EndBroadcastAsync(string messageId);

    /// <summary>The active overrides and the recently ended ones.</summary>
    [Alias("Get"), ReadOnly]
    Task<FleetRegistryView> GetAsync();
}

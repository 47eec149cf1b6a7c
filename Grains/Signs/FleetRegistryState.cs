using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The durable fleet registry: active overrides and the last ended ones (bounded), the active broadcast messages (bounded), and a change counter.</summary>
[GenerateSerializer, Alias("CityArray.FleetRegistryState")]
public sealed class FleetRegistryState
{
    [Id(0)] public List<ActiveOverride> Active { get; set; } = [];
    [Id(1)] public List<ActiveOverride> RecentlyEnded { get; set; } = [];
    [Id(2)] public long Version { get; set; }

    /// <summary>Active broadcast messages (to <c>all</c> or a zone), oldest first.</summary>
    [Id(3)] public List<ActiveBroadcast> Broadcasts { get; set; } = [];
}

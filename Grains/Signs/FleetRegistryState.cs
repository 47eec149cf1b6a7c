using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The durable fleet registry: active overrides and the last ended ones (bounded), and a change counter.</summary>
[GenerateSerializer, Alias("CityArray.FleetRegistryState")]
public sealed class FleetRegistryState
{
    [Id(0)] public List<ActiveOverride> Active { get; set; } = [];
    [Id(1)] public List<ActiveOverride> RecentlyEnded { get; set; } = [];
    [Id(2)] public long Version { get; set; }
}

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The fleet registry as read: the active overrides and those that ended lately (newest last), with a version that grows on each change.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.FleetRegistryView")]
public sealed record FleetRegistryView(
    [property: Id(0)] IReadOnlyList<ActiveOverride> Active,
    [property: Id(1)] IReadOnlyList<ActiveOverride> RecentlyEnded,
    [property: Id(2)] long Version);

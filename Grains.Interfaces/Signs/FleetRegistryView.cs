using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The fleet registry as read: the active overrides and those that ended lately (newest last), the active broadcast
/// messages (to <c>all</c> or a zone, oldest first), with a version that grows on each change.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.FleetRegistryView")]
public sealed record FleetRegistryView(
    [property: Id(0)] IReadOnlyList<ActiveOverride> Active,
    [property: Id(1)] IReadOnlyList<ActiveOverride> RecentlyEnded,
    [property: Id(2)] long Version,
    [property: Id(3)] IReadOnlyList<ActiveBroadcast>? Broadcasts = null)
{
    /// <summary>The active broadcast messages (never null).</summary>
    public IReadOnlyList<ActiveBroadcast> ActiveBroadcasts => Broadcasts ?? [];
}

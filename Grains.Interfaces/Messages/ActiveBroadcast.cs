using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Messages;

/// <summary>
/// A message to <c>all</c> or a <c>zone</c> as the fleet registry and the gateways hold it: one record, from which each
/// sign's delivery and replay on connect are derived (covered now, not acked by that sign, not expired).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.ActiveBroadcast")]
public sealed record ActiveBroadcast(
    [property: Id(0)] SignMessage Message,
    [property: Id(1)] MessageTarget Target)
{
    /// <summary>True when the target covers the sign as it is now (every sign, or the sign's current zone).</summary>
    public bool Covers(SignProfile sign) => Target.All == true || (Target.Zone is { } zone && sign.Zone == zone);

    /// <summary>True for a target that is a broadcast (<c>all</c> or a <c>zone</c>) rather than listed sign ids.</summary>
    public static bool IsBroadcast(MessageTarget target) => target.All == true || target.Zone is not null;
}

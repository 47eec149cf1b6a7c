using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// An override as the fleet registry and the gateways hold it: what it says, whom it targets (coverage is evaluated
/// from the target against each sign's current zone and position), and when it ended (null while active).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.ActiveOverride")]
public sealed record ActiveOverride(
    [property: Id(0)] SignOverride Override,
    [property: Id(1)] OverrideTarget Target,
    [property: Id(2)] DateTimeOffset? EndedAt = null);

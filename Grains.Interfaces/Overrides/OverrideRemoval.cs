namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// What removing an override did on one sign: whether the sign is connected and was showing it (so it must be told
/// now), and the override it shows next, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideRemoval")]
public sealed record OverrideRemoval(
    [property: Id(0)] bool TellNow,
    [property: Id(1)] SignOverride? Next);

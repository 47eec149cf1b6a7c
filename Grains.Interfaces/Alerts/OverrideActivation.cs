using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>One override a CAP alert raises: what it says and the area it covers (as <see cref="IOverrideGrain.ActivateAsync"/> takes them).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideActivation")]
public sealed record OverrideActivation(
    [property: Id(0)] SignOverride Override,
    [property: Id(1)] OverrideTarget Target);

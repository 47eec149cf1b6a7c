namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>Who an override covers: exactly one of listed <see cref="SignIds"/>, a <see cref="Zone"/>, <see cref="All"/> signs, or an <see cref="Area"/>.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideTarget")]
public sealed record OverrideTarget(
    [property: Id(0)] IReadOnlyList<string>? SignIds,
    [property: Id(1)] string? Zone,
    [property: Id(2)] bool? All,
    [property: Id(3)] OverrideArea? Area);

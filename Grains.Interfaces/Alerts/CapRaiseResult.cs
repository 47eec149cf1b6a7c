namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>The answer to <see cref="ICapAlertGrain.RaiseAsync"/>: the alert, and whether this call created it (false: it was already known).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapRaiseResult")]
public sealed record CapRaiseResult(
    [property: Id(0)] bool Created,
    [property: Id(1)] CapAlertRecord Alert);

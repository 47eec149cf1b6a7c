namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// Signs and phones together: <see cref="Delivered"/> (acked signs + delivered phones), <see cref="Failed"/> (failed
/// phones; a sign is never failed, only not yet acked) and <see cref="Pending"/> (signs not acked + phones not settled).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideTotals")]
public sealed record OverrideTotals(
    [property: Id(0)] int Delivered,
    [property: Id(1)] int Failed,
    [property: Id(2)] int Pending);

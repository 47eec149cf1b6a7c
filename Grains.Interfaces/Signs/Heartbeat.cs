namespace CityArray.Grains.Interfaces.Signs;

/// <summary>A sign's periodic status report. Every field is optional; absent fields keep their last value.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.Heartbeat")]
public sealed record Heartbeat(
    [property: Id(0)] int? Battery,
    [property: Id(1)] int? SignalStrength,
    [property: Id(2)] string? CrowdDensity,
    [property: Id(3)] int? CrowdCount);

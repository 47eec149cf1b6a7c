namespace CityArray.Grains.Health;

/// <summary>The last time a readiness probe wrote to storage.</summary>
[GenerateSerializer, Alias("CityArray.ReadinessProbeState")]
public sealed class ReadinessProbeState
{
    [Id(0)] public DateTimeOffset LastProbe { get; set; }
}

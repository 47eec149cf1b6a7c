using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The durable, bounded metrics time series of one sign (oldest first).</summary>
[GenerateSerializer, Alias("CityArray.SignMetricsState")]
public sealed class SignMetricsState
{
    [Id(0)] public List<MetricsSample> Samples { get; set; } = [];
}

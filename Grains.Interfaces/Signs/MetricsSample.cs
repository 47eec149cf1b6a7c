namespace CityArray.Grains.Interfaces.Signs;

/// <summary>One point of a sign's metrics time series: named numeric values at a time.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MetricsSample")]
public sealed record MetricsSample(
    [property: Id(0)] DateTimeOffset Timestamp,
    [property: Id(1)] IReadOnlyDictionary<string, double> Values);

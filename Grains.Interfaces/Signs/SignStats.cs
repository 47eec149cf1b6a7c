namespace CityArray.Grains.Interfaces.Signs;

/// <summary>Lifetime counters of a sign.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignStats")]
public sealed record SignStats(
    [property: Id(0)] long Heartbeats,
    [property: Id(1)] long MetricsReports,
    [property: Id(2)] long Connections,
    [property: Id(3)] long TimesOffline);

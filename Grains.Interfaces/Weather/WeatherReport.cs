namespace CityArray.Grains.Interfaces.Weather;

/// <summary>
/// What the weather poller knows: the latest conditions and official alerts, when it polled, the last error (if the
/// last poll failed), the current incident and the recent ones (newest first), and the template variables.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.WeatherReport")]
public sealed record WeatherReport(
    [property: Id(0)] WeatherConditions? Current,
    [property: Id(1)] IReadOnlyList<WeatherAlert> Alerts,
    [property: Id(2)] DateTimeOffset? PolledAt,
    [property: Id(3)] string? LastError,
    [property: Id(4)] WeatherIncident? Incident,
    [property: Id(5)] IReadOnlyList<WeatherIncident> RecentIncidents,
    [property: Id(6)] IReadOnlyDictionary<string, string> Variables);

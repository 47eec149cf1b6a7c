using CityArray.Grains.Interfaces.Weather;

namespace CityArray.Grains.Weather;

/// <summary>Stored state of the <see cref="WeatherGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.WeatherState")]
public sealed class WeatherState
{
    [Id(0)] public WeatherConditions? Current { get; set; }
    [Id(1)] public List<WeatherAlert> Alerts { get; set; } = [];
    [Id(2)] public DateTimeOffset? PolledAt { get; set; }
    [Id(3)] public string? LastError { get; set; }
    [Id(4)] public WeatherIncident? Incident { get; set; }

    /// <summary>Ended incidents, newest first (at most 20).</summary>
    [Id(5)] public List<WeatherIncident> History { get; set; } = [];

    /// <summary>Consecutive clear polls during the current incident (it ends at <see cref="WeatherOptions.ClearPolls"/>).</summary>
    [Id(6)] public int ClearPolls { get; set; }
}

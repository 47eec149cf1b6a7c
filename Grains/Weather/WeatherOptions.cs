namespace CityArray.Grains.Weather;

/// <summary>
/// OpenWeather settings (env <c>OPENWEATHER_API_KEY</c>, <c>WEATHER_LAT</c>, <c>WEATHER_LON</c>,
/// <c>OPENWEATHER_API_BASE_URL</c>, <c>WEATHER_POLL_SECONDS</c>, <c>WEATHER_HEAT_INDEX_C</c>,
/// <c>WEATHER_HEAT_CLEAR_MARGIN_C</c>, <c>WEATHER_CLEAR_POLLS</c>).
/// </summary>
public sealed class WeatherOptions
{
    public string? ApiKey { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public Uri BaseUrl { get; set; } = new("https://api.openweathermap.org/");
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A heat index at or above this (°C) is an incident.</summary>
    public double HeatIndexThresholdC { get; set; } = 40;

    /// <summary>Hysteresis: during a heat incident the heat index must fall below the threshold minus this (°C) to count as clear.</summary>
    public double HeatClearMarginC { get; set; } = 2;

    /// <summary>Hysteresis: an incident ends after this many consecutive clear polls (1 = the first clear poll).</summary>
    public int ClearPolls { get; set; } = 3;

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}

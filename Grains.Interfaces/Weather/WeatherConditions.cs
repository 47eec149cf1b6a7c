namespace CityArray.Grains.Interfaces.Weather;

/// <summary>Current weather at the venue (OpenWeather, metric): condition id (2xx = thunderstorm), text, temperature.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.WeatherConditions")]
public sealed record WeatherConditions(
    [property: Id(0)] int ConditionId,
    [property: Id(1)] string Main,
    [property: Id(2)] string Description,
    [property: Id(3)] double TemperatureC,
    [property: Id(4)] double HumidityPercent,
    [property: Id(5)] double WindSpeedMs,
    [property: Id(6)] DateTimeOffset ObservedAt)
{
    /// <summary>The NWS heat index (Rothfusz regression, with its simple form below 80 °F), in °C.</summary>
    public double HeatIndexC
    {
        get
        {
            var t = TemperatureC * 9 / 5 + 32;
            var rh = HumidityPercent;
            var simple = 0.5 * (t + 61 + (t - 68) * 1.2 + rh * 0.094);
            var hi = (simple + t) / 2 < 80
                ? simple
                : -42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh - 0.00683783 * t * t
                  - 0.05481717 * rh * rh + 0.00122874 * t * t * rh + 0.00085282 * t * rh * rh - 0.00000199 * t * t * rh * rh;
            return Math.Round((hi - 32) * 5 / 9, 1);
        }
    }

    /// <summary>OpenWeather's thunderstorm group: condition ids 200-299.</summary>
    public bool IsThunderstorm => ConditionId is >= 200 and < 300;
}

namespace CityArray.Grains.Interfaces.Weather;

/// <summary>
/// The venue's weather (key 0): polls OpenWeather on a timer (a reminder restarts it), keeps the latest report and
/// raises one automatic override per incident (thunderstorm condition, lightning alert, heat index over the
/// threshold), cancelling it when the weather clears.
/// </summary>
[Alias("CityArray.IWeatherGrain")]
public interface IWeatherGrain : IGrainWithIntegerKey
{
    /// <summary>The latest report (starts polling if it was not).</summary>
    [Alias("Get")]
    Task<WeatherReport> GetAsync();
}

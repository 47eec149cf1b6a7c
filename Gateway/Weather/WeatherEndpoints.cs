using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Templates;
using CityArray.Grains.Interfaces.Weather;
using CityArray.Grains.Weather;
using Microsoft.Extensions.Options;

namespace CityArray.Gateway.Weather;

/// <summary><c>GET /api/weather</c> (viewer role): the venue's latest weather, official alerts, incident, and the weather templates filled from it.</summary>
public static class WeatherEndpoints
{
    public static IEndpointRouteBuilder MapWeatherEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/weather", async (IOptions<WeatherOptions> options, IClusterClient cluster) =>
            {
                if (!options.Value.Enabled)
                    return Problems.Unavailable("OpenWeather is not configured: set OPENWEATHER_API_KEY, WEATHER_LAT and WEATHER_LON");
                var report = await cluster.GetGrain<IWeatherGrain>(0).GetAsync();
                var templates = await cluster.GetGrain<ITemplateCatalogGrain>(0).GetAllAsync();
                // Every weather template whose placeholders this report fills, in both languages.
                var filled = new Dictionary<string, Dictionary<string, string>>();
                foreach (var t in templates.Where(t => t.Category == "weather"))
                {
                    var en = t.Render(report.Variables, TemplateText.English, out _);
                    var es = t.Render(report.Variables, TemplateText.Spanish, out _);
                    if (en is not null && es is not null) filled[t.Id] = new() { ["en"] = en, ["es"] = es };
                }
                return Results.Ok(new
                {
                    current = report.Current is { } c
                        ? new { condition_id = c.ConditionId, c.Main, c.Description, temperature_c = c.TemperatureC, humidity = c.HumidityPercent,
                                wind_speed_ms = c.WindSpeedMs, heat_index_c = c.HeatIndexC, thunderstorm = c.IsThunderstorm, observed_at = c.ObservedAt }
                        : null,
                    alerts = report.Alerts,
                    polled_at = report.PolledAt,
                    last_error = report.LastError,
                    incident = report.Incident,
                    recent_incidents = report.RecentIncidents,
                    variables = report.Variables,
                    templates = filled,
                });
            })
            .WithTags("Weather")
            .WithSummary("The venue's weather (OpenWeather), official alerts, the current automatic incident and the weather templates filled in (viewer)");
        return app;
    }
}

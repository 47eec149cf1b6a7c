using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CityArray.Tests.Integrations;

/// <summary>
/// Fake OpenWeather: <c>/data/2.5/weather</c> and <c>/data/3.0/onecall</c>, checking <c>appid</c> (401 with OpenWeather's
/// body otherwise), numeric <c>lat</c>/<c>lon</c>, metric units; answers the conditions and alerts the test sets.
/// </summary>
public sealed class FakeOpenWeather : FakeServer
{
    public const string Key = "openweather-test-key";

    private volatile Snapshot _now = new(800, "Clear", "clear sky", 22, 50, []);

    public int WeatherPolls;

    /// <summary>What the fake reports from now on.</summary>
    public void Set(int conditionId, string main, string description, double temp, double humidity, params string[] alertEvents) =>
        _now = new Snapshot(conditionId, main, description, temp, humidity, alertEvents);

    private readonly System.Collections.Concurrent.ConcurrentQueue<Snapshot> _script = new();

    /// <summary>One reading per coming poll, in order (temperature, humidity; clear sky); the last one stays afterwards.</summary>
    public void Script(params (double Temp, double Humidity)[] readings)
    {
        foreach (var (temp, humidity) in readings) _script.Enqueue(new Snapshot(800, "Clear", "clear sky", temp, humidity, []));
    }

    /// <summary>Readings of <see cref="Script"/> not served yet.</summary>
    public int ScriptLeft => _script.Count;

    public static async Task<FakeOpenWeather> StartNewAsync()
    {
        var fake = new FakeOpenWeather();
        await fake.StartAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Query["appid"] != Key)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { cod = 401, message = "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info." });
                return;
            }
            if (!double.TryParse(context.Request.Query["lat"], CultureInfo.InvariantCulture, out _) || !double.TryParse(context.Request.Query["lon"], CultureInfo.InvariantCulture, out _))
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsJsonAsync(new { cod = "400", message = "wrong latitude" });
                return;
            }
            await next(context);
        });
        app.MapGet("/data/2.5/weather", (HttpContext context) =>
        {
            if (context.Request.Query["units"] != "metric") return Results.BadRequest(new { cod = "400", message = "the test expects metric units" });
            Interlocked.Increment(ref WeatherPolls);
            if (_script.TryDequeue(out var next)) _now = next;
            var s = _now;
            return Results.Ok(new
            {
                coord = new { lon = -74.07, lat = 4.71 },
                weather = new[] { new { id = s.ConditionId, main = s.Main, description = s.Description, icon = "11d" } },
                main = new { temp = s.Temp, feels_like = s.Temp, humidity = s.Humidity, pressure = 1012 },
                wind = new { speed = 3.6, deg = 200 },
                dt = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                name = "Bogotá",
                cod = 200,
            });
        });
        app.MapGet("/data/3.0/onecall", () =>
        {
            var s = _now;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            object body = s.AlertEvents.Length == 0
                ? new { lat = 4.71, lon = -74.07, timezone = "America/Bogota" }
                : new
                {
                    lat = 4.71, lon = -74.07, timezone = "America/Bogota",
                    alerts = s.AlertEvents.Select(e => new { sender_name = "IDEAM", @event = e, start = now - 600, end = now + 3600, description = e, tags = new[] { "Thunderstorm" } }),
                };
            return Results.Ok(body);
        });
    }

    private sealed record Snapshot(int ConditionId, string Main, string Description, double Temp, double Humidity, string[] AlertEvents);
}

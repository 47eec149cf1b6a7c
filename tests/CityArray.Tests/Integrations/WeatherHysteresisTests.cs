using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>Weather thresholds with hysteresis: a heat index flapping around the threshold is one incident, ended once.</summary>
public sealed class WeatherHysteresisTests
{
    [Fact]
    public async Task A_heat_index_flapping_around_the_threshold_raises_one_incident_and_ends_it_once()
    {
        await using var weather = await FakeOpenWeather.StartNewAsync();
        weather.Set(800, "Clear", "clear sky", 22, 50);
        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["OPENWEATHER_API_KEY"] = FakeOpenWeather.Key,
            ["OPENWEATHER_API_BASE_URL"] = weather.BaseUrl,
            ["WEATHER_LAT"] = "4.71",
            ["WEATHER_LON"] = "-74.07",
            ["WEATHER_POLL_SECONDS"] = "1",
            ["WEATHER_HEAT_INDEX_C"] = "40",
            ["WEATHER_HEAT_CLEAR_MARGIN_C"] = "2",
            ["WEATHER_CLEAR_POLLS"] = "3",
        });
        JsonElement last = default;
        Task<JsonElement> WeatherAsync() => server.Http.GetFromJsonAsync<JsonElement>("/api/weather");
        static bool HasIncident(JsonElement w) => w.TryGetProperty("incident", out var i) && i.ValueKind == JsonValueKind.Object;

        // At 50 % humidity: 35 °C is a heat index of 40.7 (over 40), 34.5 °C is 39.5 (under, but within the 2 °C margin),
        // 33 °C is 36.3 (clear). Without hysteresis this would be four incidents.
        (double, double) over = (35, 50), inside = (34.5, 50), clear = (33, 50);
        weather.Script(over, inside, over, inside, over, clear, over, clear, clear, inside, over, inside, clear, clear, clear, clear, clear);
        await Eventually.UntilAsync(async () => HasIncident(last = await WeatherAsync()), () => last.ToString(), TimeSpan.FromSeconds(20));
        var id = last.GetProperty("incident").GetProperty("override_id").GetString()!;

        // Every reading served, then a few clear polls more: the incident has ended, exactly once.
        await Eventually.UntilAsync(() => Task.FromResult(weather.ScriptLeft == 0), () => $"{weather.ScriptLeft} readings left", TimeSpan.FromSeconds(40));
        var polls = Volatile.Read(ref weather.WeatherPolls);
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref weather.WeatherPolls) >= polls + 2));
        await Eventually.UntilAsync(async () => !HasIncident(last = await WeatherAsync()), () => last.ToString(), TimeSpan.FromSeconds(20));
        var history = last.GetProperty("recent_incidents").EnumerateArray().ToArray();
        Assert.Single(history);
        Assert.Equal(id, history[0].GetProperty("override_id").GetString());
        Assert.Equal(["heat_index"], history[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray());
        var report = await server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");
        Assert.Equal("cancelled", report.GetProperty("status").GetString());
    }
}

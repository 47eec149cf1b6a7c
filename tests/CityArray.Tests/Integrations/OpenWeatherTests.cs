using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Weather;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>OpenWeather end to end against a fake on loopback: the report, filled templates, one override per incident.</summary>
public sealed class OpenWeatherTests : IAsyncLifetime
{
    private FakeOpenWeather _weather = null!;
    private EmbeddedServer _server = null!;

    public async Task InitializeAsync()
    {
        _weather = await FakeOpenWeather.StartNewAsync();
        _weather.Set(500, "Rain", "light rain", 21.5, 70);
        _server = await EmbeddedServer.StartAsync(new()
        {
            ["OPENWEATHER_API_KEY"] = FakeOpenWeather.Key,
            ["OPENWEATHER_API_BASE_URL"] = _weather.BaseUrl,
            ["WEATHER_LAT"] = "4.71",
            ["WEATHER_LON"] = "-74.07",
            ["WEATHER_POLL_SECONDS"] = "1",
            ["INTEGRATION_TIMEOUT_SECONDS"] = "1",
            ["INTEGRATION_TOTAL_TIMEOUT_SECONDS"] = "2",
            ["INTEGRATION_RETRIES"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _weather.DisposeAsync();
    }

    private Task<JsonElement> WeatherAsync() => _server.Http.GetFromJsonAsync<JsonElement>("/api/weather");

    private async Task<JsonElement> WaitAsync(Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually.UntilAsync(async () => condition(last = await WeatherAsync()), () => last.ToString());
        return last;
    }

    /// <summary>Waits for a few more polls, so that a second override (if any) would have been raised.</summary>
    private async Task MorePollsAsync(int count = 3)
    {
        var target = Volatile.Read(ref _weather.WeatherPolls) + count;
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref _weather.WeatherPolls) >= target));
    }

    private async Task<string> OverrideStatusAsync(string id) =>
        (await _server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}")).GetProperty("status").GetString()!;

    [Fact]
    public async Task The_report_fills_the_weather_templates()
    {
        var report = await WaitAsync(w => w.TryGetProperty("current", out var c) && c.ValueKind == JsonValueKind.Object);
        Assert.Equal(21.5, report.GetProperty("current").GetProperty("temperature_c").GetDouble());
        Assert.Equal("light rain", report.GetProperty("current").GetProperty("description").GetString());
        var filled = report.GetProperty("templates").GetProperty("weather-current-conditions");
        Assert.Equal("Weather now: light rain, 21.5°C.", filled.GetProperty("en").GetString());
        Assert.Equal("Clima actual: light rain, 21.5°C.", filled.GetProperty("es").GetString());
        Assert.False(report.TryGetProperty("incident", out var incident) && incident.ValueKind == JsonValueKind.Object);
    }

    [Fact]
    public async Task Each_incident_raises_exactly_one_override_and_ends_it_when_the_weather_clears()
    {
        await WaitAsync(w => w.TryGetProperty("current", out _));
        _weather.Set(211, "Thunderstorm", "thunderstorm", 24, 80);
        var stormy = await WaitAsync(w => w.TryGetProperty("incident", out var i) && i.ValueKind == JsonValueKind.Object);
        var first = stormy.GetProperty("incident").GetProperty("override_id").GetString()!;
        Assert.Contains("thunderstorm", stormy.GetProperty("incident").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await Eventually.UntilAsync(async () => (await _server.Http.GetAsync($"/api/overrides/{first}")).IsSuccessStatusCode);
        Assert.Equal("active", await OverrideStatusAsync(first));

        // The storm goes on and an official lightning alert joins it: still the same incident, the same override.
        _weather.Set(211, "Thunderstorm", "thunderstorm", 24, 80, "Lightning warning");
        await MorePollsAsync();
        var still = await WeatherAsync();
        Assert.Equal(first, still.GetProperty("incident").GetProperty("override_id").GetString());
        Assert.Equal(0, still.GetProperty("recent_incidents").GetArrayLength());

        _weather.Set(800, "Clear", "clear sky", 22, 50);
        var clear = await WaitAsync(w => !w.TryGetProperty("incident", out var i) || i.ValueKind == JsonValueKind.Null);
        Assert.Equal(first, clear.GetProperty("recent_incidents")[0].GetProperty("override_id").GetString());
        Assert.Equal("cancelled", await OverrideStatusAsync(first));

        // A new incident (heat this time): a new override, once.
        _weather.Set(800, "Clear", "clear sky", 38, 60);
        var hot = await WaitAsync(w => w.TryGetProperty("incident", out var i) && i.ValueKind == JsonValueKind.Object);
        var second = hot.GetProperty("incident").GetProperty("override_id").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(["heat_index"], hot.GetProperty("incident").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToArray());
        await MorePollsAsync();
        Assert.Equal(second, (await WeatherAsync()).GetProperty("incident").GetProperty("override_id").GetString());
        Assert.Equal(1, (await WeatherAsync()).GetProperty("recent_incidents").GetArrayLength());
    }

    [Fact]
    public async Task An_outage_neither_starts_nor_ends_an_incident()
    {
        await WaitAsync(w => w.TryGetProperty("current", out _));
        _weather.Set(211, "Thunderstorm", "thunderstorm", 24, 80);
        var stormy = await WaitAsync(w => w.TryGetProperty("incident", out var i) && i.ValueKind == JsonValueKind.Object);
        _weather.Mode = FakeMode.Fail;
        var down = await WaitAsync(w => w.TryGetProperty("last_error", out var e) && e.ValueKind == JsonValueKind.String);
        Assert.Equal(stormy.GetProperty("incident").GetProperty("override_id").GetString(), down.GetProperty("incident").GetProperty("override_id").GetString());
        _weather.Mode = FakeMode.Normal;
        await WaitAsync(w => !w.TryGetProperty("last_error", out var e) || e.ValueKind == JsonValueKind.Null);
    }

    [Theory]
    [InlineData(38, 60, true)]   // about 50 °C
    [InlineData(30, 40, false)]  // about 30 °C
    [InlineData(22, 90, false)]
    public void The_heat_index_threshold_uses_the_NWS_formula(double temp, double humidity, bool trips)
    {
        var c = new WeatherConditions(800, "Clear", "clear", temp, humidity, 1, DateTimeOffset.UtcNow);
        Assert.Equal(trips, c.HeatIndexC >= 40);
    }

    [Fact]
    public async Task Without_a_key_the_weather_answers_503()
    {
        await using var server = await EmbeddedServer.StartAsync();
        var response = await server.Http.GetAsync("/api/weather");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("OPENWEATHER_API_KEY", await response.Content.ReadAsStringAsync());
    }
}

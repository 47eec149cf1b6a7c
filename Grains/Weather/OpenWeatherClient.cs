using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Weather;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Weather;

/// <summary>
/// A small client for OpenWeather: current weather (<c>/data/2.5/weather</c>, metric) and One Call 3.0 alerts
/// (<c>/data/3.0/onecall</c>, everything but alerts excluded). The key goes in <c>appid</c>; it is never logged.
/// </summary>
public sealed class OpenWeatherClient(HttpClient http, IOptions<WeatherOptions> options)
{
    private WeatherOptions O => options.Value;

    public async Task<WeatherConditions> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        var json = await GetAsync($"data/2.5/weather?lat={Num(O.Latitude)}&lon={Num(O.Longitude)}&units=metric", cancellationToken);
        var weather = json.GetProperty("weather")[0];
        var main = json.GetProperty("main");
        var wind = json.TryGetProperty("wind", out var w) && w.TryGetProperty("speed", out var s) ? s.GetDouble() : 0;
        return new WeatherConditions(
            weather.GetProperty("id").GetInt32(),
            weather.GetProperty("main").GetString() ?? "",
            weather.GetProperty("description").GetString() ?? "",
            main.GetProperty("temp").GetDouble(),
            main.GetProperty("humidity").GetDouble(),
            wind,
            DateTimeOffset.FromUnixTimeSeconds(json.GetProperty("dt").GetInt64()));
    }

    public async Task<IReadOnlyList<WeatherAlert>> GetAlertsAsync(CancellationToken cancellationToken = default)
    {
        var json = await GetAsync($"data/3.0/onecall?lat={Num(O.Latitude)}&lon={Num(O.Longitude)}&exclude=current,minutely,hourly,daily", cancellationToken);
        if (!json.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array) return [];
        return alerts.EnumerateArray().Select(a => new WeatherAlert(
            a.TryGetProperty("sender_name", out var sender) ? sender.GetString() ?? "" : "",
            a.GetProperty("event").GetString() ?? "",
            DateTimeOffset.FromUnixTimeSeconds(a.GetProperty("start").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(a.GetProperty("end").GetInt64()),
            a.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "")).ToArray();
    }

    private async Task<JsonElement> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var baseUrl = O.BaseUrl.ToString().EndsWith('/') ? O.BaseUrl : new Uri(O.BaseUrl + "/");
        var uri = new Uri(baseUrl, $"{pathAndQuery}&appid={Uri.EscapeDataString(O.ApiKey ?? "")}");
        using var response = await http.GetAsync(uri, cancellationToken);
        if (!response.IsSuccessStatusCode)
            // The URL carries the key: say what failed without it.
            throw new HttpRequestException($"OpenWeather {pathAndQuery.Split('?')[0]}: {(int)response.StatusCode}", null, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}

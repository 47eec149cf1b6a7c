using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.OperatorConsole;

/// <summary>What the console needs from the gateway, without a browser: the files at <c>/</c> and the collectible feed.</summary>
public sealed class ConsoleServingTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private EmbeddedServer Server => fixture.Server;

    [Fact]
    public async Task The_gateway_serves_the_console_page_and_its_modules_at_the_root()
    {
        var page = await Server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("CityArray operator console", html);
        Assert.Contains("""<script type="module" src="/js/app.js">""", html);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());

        foreach (var module in new[] { "app", "api", "socket", "fleet", "table", "map", "city" })
        {
            var js = await Server.Http.GetAsync($"/js/{module}.js");
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/console.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Http.GetAsync("/js/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/api/signs")).StatusCode); // the API is untouched
    }

    [Fact]
    public async Task Collectible_drops_and_claims_reach_dashboards_as_they_happen()
    {
        await using var dashboard = await Server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        var creator = await PostAsync("/api/users/register", new { phone = "+573009990001", name = "Host" });
        var winner = await PostAsync("/api/users/register", new { phone = "+573009990002", name = "Winner" });
        var ev = await PostAsync($"/api/events?creator_id={Id(creator)}",
            new { title = "Feed test", description = "d", category = "music", coordinates = new[] { -74.07, 4.71 }, address = "a" });
        var drop = await PostAsync($"/api/events/{Id(ev)}/collectibles?creator_id={Id(creator)}", new { name = "Feed gem", rarity = "rare", ttl_seconds = 60 });

        var dropped = await dashboard.ReceiveAsync("collectible_dropped", m => m.GetProperty("collectible").GetProperty("id").GetString() == Id(drop));
        Assert.Equal(Id(ev), dropped.GetProperty("collectible").GetProperty("event_id").GetString());
        Assert.Equal("Feed gem", dropped.GetProperty("collectible").GetProperty("name").GetString());
        Assert.False(dropped.TryGetProperty("sign", out _));

        var claim = await PostAsync($"/api/collectibles/claim?collectible_id={Id(drop)}&user_id={Id(winner)}", null);
        Assert.True(claim.GetProperty("success").GetBoolean());
        var claimed = await dashboard.ReceiveAsync("collectible_claimed", m => m.GetProperty("collectible").GetProperty("id").GetString() == Id(drop));
        Assert.Equal(Id(winner), claimed.GetProperty("collectible").GetProperty("claimed_by").GetString());

        // A losing claim is no news: no second collectible_claimed.
        var loser = await PostAsync("/api/users/register", new { phone = "+573009990003", name = "Late" });
        var lost = await PostAsync($"/api/collectibles/claim?collectible_id={Id(drop)}&user_id={Id(loser)}", null);
        Assert.False(lost.GetProperty("success").GetBoolean());
        await Server.Http.PostAsJsonAsync("/api/submissions", new { name = "Marker", text = "after the lost claim" });
        await dashboard.ReceiveAsync("new_submission");
        Assert.Single(dashboard.History, m => m.GetProperty("type").GetString() == "collectible_claimed");
    }

    private static string Id(JsonElement e) => e.GetProperty("id").GetString()!;

    private async Task<JsonElement> PostAsync(string path, object? body)
    {
        var response = body is null ? await Server.Http.PostAsync(path, null) : await Server.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

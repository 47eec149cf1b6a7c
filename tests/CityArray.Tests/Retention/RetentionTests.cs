using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Retention;

/// <summary>Storage does not grow forever: with short retention settings, ended events and expired collectibles age out of storage.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Ended_events_and_expired_collectibles_are_cleared_from_storage_after_their_retention_period()
    {
        // 0.0001 days is 8.64 s.
        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["RETENTION_EVENTS_DAYS"] = "0.0001",
            ["RETENTION_COLLECTIBLES_DAYS"] = "0.0001",
        });
        var db = Path.Combine(server.DataDirectory, "cityarray.db");
        var user = await (await server.Http.PostAsJsonAsync("/api/users/register", new { phone = "+573009990001", name = "Keeper" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var userId = user.GetProperty("id").GetString()!;
        async Task<string> CreateEventAsync(string title)
        {
            var response = await server.Http.PostAsJsonAsync($"/api/events?creator_id={userId}",
                new { title, description = "x", category = "music", coordinates = new[] { -74.07, 4.71 }, address = "x" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        var ended = await CreateEventAsync("Ends now");
        var running = await CreateEventAsync("Keeps running");
        var drops = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // Manual drops are limited to one per 2 s per event: retry the 429s.
            HttpResponseMessage drop = null!;
            await Eventually.UntilAsync(async () =>
                (drop = await server.Http.PostAsJsonAsync($"/api/events/{ended}/collectibles?creator_id={userId}", new { ttl_seconds = 1 })).StatusCode != HttpStatusCode.TooManyRequests,
                timeout: TimeSpan.FromSeconds(15));
            Assert.Equal(HttpStatusCode.Created, drop.StatusCode);
            drops.Add((await drop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        Assert.Equal(3, await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'collectible'"));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"/api/events/{ended}/end?creator_id={userId}", null)).StatusCode);
        Assert.Equal(2, await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'event'"));

        // After expiry + retention, the rows are deleted and the API forgets them; the running event and the user stay.
        long events = -1, collectibles = -1, reminders = -1;
        await Eventually.UntilAsync(async () =>
        {
            events = await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'event'");
            collectibles = await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'collectible'");
            reminders = await StoredRows.CountAsync(db, "SELECT count(*) FROM reminders WHERE reminder_name = 'retention'");
            return events == 1 && collectibles == 0 && reminders == 0;
        }, () => $"{events} events, {collectibles} collectibles, {reminders} retention reminders stored", TimeSpan.FromSeconds(90));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/events/{ended}")).StatusCode);
        foreach (var id in drops) Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/collectibles/{id}")).StatusCode);
        Assert.Equal("active", (await server.Http.GetFromJsonAsync<JsonElement>($"/api/events/{running}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/users/{userId}")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Retention;

/// <summary>
/// Retention of finished messages (acked by every covered sign, or expired) and ended overrides (cancelled or expired):
/// their stored rows go and a GET answers 404 like an unknown id, while unfinished ones stay.
/// </summary>
public sealed class RetentionMessagesOverridesTests
{
    [Fact]
    public async Task Finished_messages_and_ended_overrides_leave_storage_after_their_retention_period_and_unfinished_ones_stay()
    {
        // 0.0001 days is 8.64 s (reminders fire on real time).
        await using var server = await EmbeddedServer.StartAsync(new()
        {
            ["RETENTION_MESSAGES_DAYS"] = "0.0001",
            ["RETENTION_OVERRIDES_DAYS"] = "0.0001",
        });
        var db = Path.Combine(server.DataDirectory, "cityarray.db");
        (await server.PutJsonAsync("/api/signs/ret-on", new { name = "ret-on", zone = "ret-zone" })).EnsureSuccessStatusCode();
        (await server.PutJsonAsync("/api/signs/ret-off", new { name = "ret-off", zone = "ret-away" })).EnsureSuccessStatusCode();
        await using var sign = await server.ConnectAsync("/ws/sign/ret-on");
        await server.WaitConnectedAsync("ret-on");

        async Task<string> SendAsync(object body)
        {
            var response = await server.Http.PostAsJsonAsync("/api/messages", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
        }
        async Task<string> OverrideAsync(object body)
        {
            var response = await server.Http.PostAsJsonAsync("/api/overrides", body);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
        }
        async Task AckedAsync(string messageId) => await Eventually.UntilAsync(async () =>
            (await server.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{messageId}")).GetProperty("deliveries").EnumerateArray()
                .All(d => d.GetProperty("state").GetString() == "acked"), timeout: TimeSpan.FromSeconds(15));

        // Finished messages: one to a listed sign and one to a zone (a broadcast), each acked by its only sign, and one that expires.
        var listed = await SendAsync(new { text = "listed", sign_ids = new[] { "ret-on" } });
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == listed);
        await sign.SendJsonAsync(new { type = "ack", message_id = listed });
        var zoned = await SendAsync(new { text = "zoned", zone = "ret-zone" });
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == zoned);
        await sign.SendJsonAsync(new { type = "ack", message_id = zoned });
        var expiring = await SendAsync(new { text = "expiring", sign_ids = new[] { "ret-off" }, expires_at = server.Clock.GetUtcNow().AddSeconds(2) });
        // Unfinished: never acked (the sign is away) and no expiry.
        var waiting = await SendAsync(new { text = "waiting", sign_ids = new[] { "ret-off" } });
        await AckedAsync(listed);
        await AckedAsync(zoned);

        // Ended overrides: one cancelled, one that expires; one stays active.
        var cancelled = await OverrideAsync(new { text = "cancel me", sign_ids = new[] { "ret-off" } });
        Assert.Equal(HttpStatusCode.OK, (await server.Http.DeleteAsync($"/api/overrides/{cancelled}")).StatusCode);
        var expired = await OverrideAsync(new { text = "expire me", sign_ids = new[] { "ret-off" }, expires_at = server.Clock.GetUtcNow().AddSeconds(2) });
        var active = await OverrideAsync(new { text = "still on", sign_ids = new[] { "ret-off" } });
        Assert.Equal(4, await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'message'"));
        Assert.Equal(3, await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'override'"));

        long messages = -1, overrides = -1, reminders = -1;
        await Eventually.UntilAsync(async () =>
        {
            messages = await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'message'");
            overrides = await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'override'");
            reminders = await StoredRows.CountAsync(db, "SELECT count(*) FROM reminders WHERE reminder_name = 'retention'");
            return messages == 1 && overrides == 1 && reminders == 0;
        }, () => $"{messages} messages, {overrides} overrides, {reminders} retention reminders stored", TimeSpan.FromSeconds(90));

        foreach (var id in new[] { listed, zoned, expiring })
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/messages/{id}")).StatusCode);
        foreach (var id in new[] { cancelled, expired })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/overrides/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
        }
        var kept = await server.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{waiting}");
        Assert.Equal("queued", kept.GetProperty("deliveries")[0].GetProperty("state").GetString());
        Assert.Equal("active", (await server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{active}")).GetProperty("status").GetString());

        // The away sign comes back to the override that is still active.
        await using var back = await server.ConnectAsync("/ws/sign/ret-off");
        await back.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == active);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Messages;

/// <summary>
/// Messages to <c>all</c> or a zone are one record in the fleet registry: a sign covered later (a new sign, a sign moved
/// into the zone) gets them at once, a sign never gets again what it acked, and a broadcast acked by every covered sign
/// leaves the registry.
/// </summary>
public sealed class BroadcastMessageTests : IClassFixture<QuietSignsServerFixture>
{
    private readonly EmbeddedServer _server;

    public BroadcastMessageTests(QuietSignsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_new_sign_gets_a_message_to_all_sent_before_it_first_connected_and_never_again_once_acked()
    {
        var id = await SendAsync(new { text = "Gates open at 6pm", all = true, expires_at = DateTimeOffset.UtcNow.AddMinutes(10) });
        await using (var sign = await _server.ConnectAsync("/ws/sign/bc-new-1"))
        {
            var message = await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == id, TimeSpan.FromSeconds(5));
            Assert.Equal("Gates open at 6pm", message.GetProperty("text").GetString());
            await Eventually.UntilAsync(async () => State(await ReportAsync(id), "bc-new-1") == "sent");
            await sign.SendJsonAsync(new { type = "ack", message_id = id });
            await Eventually.UntilAsync(async () => State(await ReportAsync(id), "bc-new-1") == "acked");
            var display = (await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/bc-new-1")).GetProperty("current_display");
            Assert.Equal(id, display.GetProperty("id").GetString());
        }
        await _server.WaitForSignAsync("bc-new-1", s => !s.GetProperty("connected").GetBoolean());

        // Reconnecting: what it acked is not replayed; a later message to all is.
        var later = await SendAsync(new { text = "Last bus at 1am", all = true, expires_at = DateTimeOffset.UtcNow.AddMinutes(10) });
        await using var again = await _server.ConnectAsync("/ws/sign/bc-new-1");
        await again.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == later, TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.DoesNotContain(id, again.History.Where(m => m.GetProperty("type").GetString() == "new_message")
            .Select(m => m.GetProperty("message_id").GetString()));
    }

    [Fact]
    public async Task A_connected_sign_moved_into_a_zone_gets_its_message_at_once_and_is_added_to_the_report()
    {
        (await _server.PutJsonAsync("/api/signs/bc-mover", new { name = "Mover", zone = "bc-west" })).EnsureSuccessStatusCode();
        await using var sign = await _server.ConnectAsync("/ws/sign/bc-mover");
        await _server.WaitConnectedAsync("bc-mover");
        var id = await SendAsync(new { text = "East stage delayed", zone = "bc-east" });
        Assert.Equal(0, (await ReportAsync(id)).GetProperty("deliveries").GetArrayLength());

        (await _server.PutJsonAsync("/api/signs/bc-mover", new { zone = "bc-east" })).EnsureSuccessStatusCode();
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == id, TimeSpan.FromSeconds(5));
        await Eventually.UntilAsync(async () => State(await ReportAsync(id), "bc-mover") == "sent");
        await sign.SendJsonAsync(new { type = "ack", message_id = id });
        await Eventually.UntilAsync(async () => State(await ReportAsync(id), "bc-mover") == "acked");
    }

    [Fact]
    public async Task A_broadcast_acked_by_every_covered_sign_leaves_the_registry()
    {
        (await _server.PutJsonAsync("/api/signs/bc-done-1", new { name = "One", zone = "bc-done" })).EnsureSuccessStatusCode();
        (await _server.PutJsonAsync("/api/signs/bc-done-2", new { name = "Two", zone = "bc-done" })).EnsureSuccessStatusCode();
        await using var one = await _server.ConnectAsync("/ws/sign/bc-done-1");
        await using var two = await _server.ConnectAsync("/ws/sign/bc-done-2");
        await _server.WaitConnectedAsync("bc-done-1", "bc-done-2");
        var id = await SendAsync(new { text = "Water at the north gate", zone = "bc-done" });
        var registry = _server.Services.GetRequiredService<IGrainFactory>().GetGrain<IFleetRegistryGrain>(0);
        Assert.Contains(id, (await registry.GetAsync()).ActiveBroadcasts.Select(b => b.Message.MessageId));

        foreach (var sign in new[] { one, two })
        {
            await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == id);
            await sign.SendJsonAsync(new { type = "ack", message_id = id });
        }
        await Eventually.UntilAsync(async () => !(await registry.GetAsync()).ActiveBroadcasts.Any(b => b.Message.MessageId == id));
        var report = await ReportAsync(id);
        Assert.All(report.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("acked", d.GetProperty("state").GetString()));

        // An ack that arrives after it left the registry is still accepted.
        await one.SendJsonAsync(new { type = "ack", message_id = id });
        await Task.Delay(300);
        Assert.DoesNotContain(one.History, m => m.GetProperty("type").GetString() == "error");
    }

    [Fact]
    public async Task A_newer_connection_of_a_sign_is_sent_its_unacked_broadcasts_again()
    {
        (await _server.PutJsonAsync("/api/signs/bc-twice", new { name = "Twice", zone = "bc-twice" })).EnsureSuccessStatusCode();
        await using var older = await _server.ConnectAsync("/ws/sign/bc-twice");
        await _server.WaitConnectedAsync("bc-twice");
        var id = await SendAsync(new { text = "Rain expected", zone = "bc-twice" });
        await older.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == id);

        // Not acked on the older socket: the newer one (which replaces it) gets it too.
        await using var newer = await _server.ConnectAsync("/ws/sign/bc-twice");
        await newer.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == id, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_expired_broadcast_leaves_the_registry_and_is_not_replayed()
    {
        var id = await SendAsync(new { text = "Soon over", all = true, expires_at = DateTimeOffset.UtcNow.AddSeconds(6) });
        var registry = _server.Services.GetRequiredService<IGrainFactory>().GetGrain<IFleetRegistryGrain>(0);
        Assert.Contains(id, (await registry.GetAsync()).ActiveBroadcasts.Select(b => b.Message.MessageId));
        await Eventually.UntilAsync(async () => !(await registry.GetAsync()).ActiveBroadcasts.Any(b => b.Message.MessageId == id),
            timeout: TimeSpan.FromSeconds(20));

        var marker = await SendAsync(new { text = "Still on", all = true, expires_at = DateTimeOffset.UtcNow.AddMinutes(10) });
        await using var sign = await _server.ConnectAsync("/ws/sign/bc-after-expiry");
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == marker, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(id, sign.History.Where(m => m.GetProperty("type").GetString() == "new_message")
            .Select(m => m.GetProperty("message_id").GetString()));
    }

    private async Task<string> SendAsync(object body)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/messages", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
    }

    private Task<JsonElement> ReportAsync(string id) => _server.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{id}");

    private static string? State(JsonElement report, string signId) =>
        report.GetProperty("deliveries").EnumerateArray().Where(d => d.GetProperty("sign_id").GetString() == signId)
            .Select(d => d.GetProperty("state").GetString()).FirstOrDefault();
}

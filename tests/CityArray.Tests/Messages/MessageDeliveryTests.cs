using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace CityArray.Tests.Messages;

/// <summary>Messages to signs over real WebSockets: push, durable replay on reconnect, acks, expiry, targeting, bad bodies.</summary>
public sealed class MessageDeliveryTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task A_sign_offline_during_a_send_gets_exactly_its_unacked_messages_in_order_on_reconnect()
    {
        await RegisterAsync("off-1", "off");
        await using (var sign = await _server.ConnectAsync("/ws/sign/off-1"))
        {
            await sign.ReceiveAsync("ping");
            var a = await SendAsync(new { text = "A", sign_ids = new[] { "off-1" } });
            Assert.Equal(a, (await sign.ReceiveAsync("new_message")).GetProperty("message_id").GetString());
            await sign.SendJsonAsync(new { type = "ack", message_id = a });
            await WaitForStateAsync(a, "off-1", "acked");
        }
        await WaitDisconnectedAsync("off-1");

        var b = await SendAsync(new { text = "B", sign_ids = new[] { "off-1" }, priority = "high", display_seconds = 10 });
        var c = await SendAsync(new { template_id = "schedule-now-playing", variables = new { stage = "Main", artist = "Los Rayos" }, zone = "off" });
        Assert.Equal("queued", (await ReportAsync(b)).GetProperty("deliveries")[0].GetProperty("state").GetString());

        await using var again = await _server.ConnectAsync("/ws/sign/off-1");
        var first = await again.ReceiveAsync("new_message");
        var second = await again.ReceiveAsync("new_message");
        Assert.Equal(b, first.GetProperty("message_id").GetString());
        Assert.Equal("B", first.GetProperty("text").GetString());
        Assert.Equal("high", first.GetProperty("priority").GetString());
        Assert.Equal(10, first.GetProperty("display_seconds").GetInt32());
        Assert.Equal(c, second.GetProperty("message_id").GetString());
        Assert.Equal("Now playing on Main: Los Rayos", second.GetProperty("text").GetString());
        Assert.Equal("schedule-now-playing", second.GetProperty("template_id").GetString());

        await WaitForStateAsync(b, "off-1", "sent");
        await again.SendJsonAsync(new { type = "ack", message_id = b });
        var acked = await WaitForStateAsync(b, "off-1", "acked");
        Assert.True(acked.TryGetProperty("sent_at", out _) && acked.TryGetProperty("acked_at", out _));
        // Absence window: no third or repeated message may follow the two replayed ones.
        await Task.Delay(300);
        Assert.Equal([b, c], NewMessageIds(again));
        var view = await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/off-1");
        Assert.Equal("message", view.GetProperty("current_display").GetProperty("kind").GetString());
        Assert.Equal(c, view.GetProperty("current_display").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_silent_sign_whose_grain_went_away_still_gets_the_next_message_pushed()
    {
        // A grain deactivated while holding the socket (here on request; in a cluster a duplicate resolved after a silo
        // died, or a silo shutting down): its gateway connects the sign to the next activation, which knows the socket.
        await RegisterAsync("moved-1", null);
        await using var sign = await _server.ConnectAsync("/ws/sign/moved-1");
        await sign.ReceiveAsync("ping");
        var grain = _server.Services.GetRequiredService<IClusterClient>().GetGrain<ISignGrain>("moved-1");
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var id = await SendAsync(new { text = "after the move", sign_ids = new[] { "moved-1" } });
        Assert.Equal(id, (await sign.ReceiveAsync("new_message", timeout: TimeSpan.FromSeconds(10))).GetProperty("message_id").GetString());
        await sign.SendJsonAsync(new { type = "ack", message_id = id });
        await WaitForStateAsync(id, "moved-1", "acked");
    }

    [Fact]
    public async Task An_expired_message_is_not_replayed()
    {
        await RegisterAsync("exp-1", null);
        await SendAsync(new { text = "soon gone", sign_ids = new[] { "exp-1" }, expires_at = _server.Clock.GetUtcNow().AddSeconds(1) });
        var kept = await SendAsync(new { text = "kept", sign_ids = new[] { "exp-1" } });
        _server.Clock.Advance(TimeSpan.FromSeconds(2));

        await using var sign = await _server.ConnectAsync("/ws/sign/exp-1");
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == kept);
        // Replay keeps the sending order: had the expired message been replayed, it would have come before "kept".
        Assert.Equal([kept], NewMessageIds(sign));
    }

    [Fact]
    public async Task Acks_are_reported_to_dashboards_and_an_unknown_id_is_an_error()
    {
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        await using var sign = await _server.ConnectAsync("/ws/sign/ack-1");
        await dashboard.ReceiveAsync("sign_connected", m => m.GetProperty("sign").GetProperty("id").GetString() == "ack-1");

        var id = await SendAsync(new { text = "hello", sign_ids = new[] { "ack-1" } });
        var sent = await dashboard.ReceiveAsync("message_sent", m => m.GetProperty("message").GetProperty("message_id").GetString() == id);
        Assert.Equal(1, sent.GetProperty("message").GetProperty("recipients").GetInt32());
        await sign.ReceiveAsync("new_message");
        await sign.SendJsonAsync(new { type = "ack", message_id = id });
        var ack = await dashboard.ReceiveAsync("message_ack", m => m.GetProperty("message").GetProperty("message_id").GetString() == id);
        Assert.Equal("ack-1", ack.GetProperty("message").GetProperty("sign_id").GetString());

        await sign.SendJsonAsync(new { type = "ack", message_id = "msg-never-sent" });
        var error = await sign.ReceiveAsync("error");
        Assert.Equal("ack", error.GetProperty("in_reply_to").GetString());
        Assert.Contains("msg-never-sent", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_zone_covers_the_signs_registered_in_it_now()
    {
        await RegisterAsync("zt-1", "zone-t");
        await RegisterAsync("zt-2", "zone-t");
        await RegisterAsync("zt-3", "zone-u");
        Assert.Equal(["zt-1", "zt-2"], DeliverySigns(await ReportAsync(await SendAsync(new { text = "z", zone = "zone-t" }))));

        await RegisterAsync("zt-2", "zone-u");
        Assert.Equal(["zt-1"], DeliverySigns(await ReportAsync(await SendAsync(new { text = "z", zone = "zone-t" }))));
        Assert.Equal(["zt-2", "zt-3"], DeliverySigns(await ReportAsync(await SendAsync(new { text = "z", zone = "zone-u" }))));
    }

    [Theory]
    [InlineData("""{"text":"x","sign_ids":["a"],"zone":"north"}""", "target")]
    [InlineData("""{"text":"x"}""", "target")]
    [InlineData("""{"text":"x","all":false}""", "target")]
    [InlineData("""{"sign_ids":["a"]}""", "text")]
    [InlineData("""{"text":"x","template_id":"sponsor-message","sign_ids":["a"]}""", "text")]
    [InlineData("""{"template_id":"no-such-template","sign_ids":["a"]}""", "template_id")]
    [InlineData("""{"template_id":"sponsor-message","variables":{"sponsor":"Acme"},"sign_ids":["a"]}""", "variables.message")]
    [InlineData("""{"text":"x","sign_ids":["a"],"priority":"critical"}""", "priority")]
    [InlineData("""{"text":"x","sign_ids":["a"],"display_seconds":0}""", "display_seconds")]
    [InlineData("""{"text":"x","sign_ids":["a"],"display_seconds":3601}""", "display_seconds")]
    [InlineData("""{"text":"x","sign_ids":["bad id"]}""", "sign_ids")]
    [InlineData("""{"text":"x","sign_ids":[]}""", "sign_ids")]
    [InlineData("""{"text":"x","sign_ids":["a"],"expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"text":"x","sign_ids":["a"],"language":"fr"}""", "language")]
    public async Task Bad_bodies_are_400_naming_the_field(string json, string field)
    {
        var response = await _server.Http.PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"{field}:", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_message_id_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/messages/msg-unknown")).StatusCode);
    }

    private async Task RegisterAsync(string signId, string? zone) =>
        (await _server.PutJsonAsync($"/api/signs/{signId}", new { name = signId, zone })).EnsureSuccessStatusCode();

    private async Task<string> SendAsync(object body)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/messages", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
    }

    private Task<JsonElement> ReportAsync(string id) => _server.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{id}");

    private async Task<JsonElement> WaitForStateAsync(string messageId, string signId, string state)
    {
        JsonElement delivery = default;
        await Eventually.UntilAsync(async () =>
        {
            delivery = (await ReportAsync(messageId)).GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("sign_id").GetString() == signId);
            return delivery.GetProperty("state").GetString() == state;
        }, () => $"{messageId} for {signId} is {delivery.GetProperty("state")}, not {state}", TimeSpan.FromSeconds(10));
        return delivery;
    }

    private Task WaitDisconnectedAsync(string signId) =>
        _server.WaitForSignAsync(signId, s => !s.GetProperty("connected").GetBoolean());

    internal static string?[] NewMessageIds(WsClient client)
    {
        return client.History.Where(m => m.GetProperty("type").GetString() == "new_message").Select(m => m.GetProperty("message_id").GetString()).ToArray();
    }

    internal static string[] DeliverySigns(JsonElement report) =>
        report.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("sign_id").GetString()!).ToArray();
}

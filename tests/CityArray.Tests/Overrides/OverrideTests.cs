using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Overrides;

/// <summary>Overrides over real WebSockets: area targeting, on-connect delivery, cancel, expiry, the tally, bad bodies.</summary>
public sealed class OverrideTests(QuietSignsServerFixture fixture) : IClassFixture<QuietSignsServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task A_circle_covers_only_the_signs_registered_inside_it()
    {
        await RegisterAsync("circ-in", [10.001, 50.0]);   // ~70 m from the center
        await RegisterAsync("circ-out", [10.01, 50.0]);   // ~700 m
        await RegisterAsync("circ-none", null);
        await using var inside = await _server.ConnectAsync("/ws/sign/circ-in");
        await using var outside = await _server.ConnectAsync("/ws/sign/circ-out");
        await using var none = await _server.ConnectAsync("/ws/sign/circ-none");
        await _server.WaitConnectedAsync("circ-in", "circ-out", "circ-none");

        var created = await CreateAsync(new { text = "Storm shelter", area = new { circle = new { center = new[] { 10.0, 50.0 }, radius_m = 300 } } });
        var id = Id(created);
        Assert.Equal(1, created.GetProperty("covered").GetInt32());
        Assert.Equal(["circ-in"], Strings((await ReportAsync(id)).GetProperty("not_acked")));
        Assert.Equal("Storm shelter", (await inside.ReceiveAsync("override")).GetProperty("text").GetString());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(500);
        Assert.Empty(Types(outside, "override"));
        Assert.Empty(Types(none, "override"));
    }

    [Fact]
    public async Task A_polygon_covers_only_the_signs_registered_inside_it()
    {
        await RegisterAsync("poly-in", [20.0, 40.0]);
        await RegisterAsync("poly-out", [20.02, 40.0]);
        await using var inside = await _server.ConnectAsync("/ws/sign/poly-in");
        await using var outside = await _server.ConnectAsync("/ws/sign/poly-out");
        await _server.WaitConnectedAsync("poly-in", "poly-out");

        // An open ring: it is closed for the client.
        var square = new[] { new[] { 19.99, 39.99 }, new[] { 20.01, 39.99 }, new[] { 20.01, 40.01 }, new[] { 19.99, 40.01 } };
        var created = await CreateAsync(new { text = "Road closed", area = new { polygon = square } });
        Assert.Equal(1, created.GetProperty("covered").GetInt32());
        Assert.Equal(5, created.GetProperty("target").GetProperty("area").GetProperty("polygon").GetArrayLength());
        Assert.Equal(Id(created), (await inside.ReceiveAsync("override")).GetProperty("override_id").GetString());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(500);
        Assert.Empty(Types(outside, "override"));
    }

    [Fact]
    public async Task A_sign_connecting_after_activation_gets_the_override_first_then_its_queued_messages()
    {
        await RegisterAsync("late-1", null);
        var message = await _server.Http.PostAsJsonAsync("/api/messages", new { text = "Gates open", sign_ids = new[] { "late-1" } });
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        var created = await CreateAsync(new
        {
            template_id = "emergency-evacuation", variables = new { exit = "north gate" }, sign_ids = new[] { "late-1" },
            severity = "extreme", urgency = "immediate", category = "safety", headline = "Evacuation", instruction = "Walk to the north gate",
        });
        Assert.Equal(["late-1"], Strings(created.GetProperty("unreachable")));

        await using var sign = await _server.ConnectAsync("/ws/sign/late-1");
        var received = await sign.ReceiveAsync("override");
        await sign.ReceiveAsync("new_message");
        Assert.Equal(["override", "new_message"], Types(sign, "override", "new_message"));
        Assert.Equal(Id(created), received.GetProperty("override_id").GetString());
        Assert.Contains("north gate", received.GetProperty("text").GetString());
        Assert.Equal("immediate", received.GetProperty("urgency").GetString());
        Assert.Equal("safety", received.GetProperty("category").GetString());
        Assert.Equal("Evacuation", received.GetProperty("headline").GetString());
        Assert.Equal("Walk to the north gate", received.GetProperty("instruction").GetString());

        var display = (await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/late-1")).GetProperty("current_display");
        Assert.Equal("override", display.GetProperty("kind").GetString());
        Assert.Equal(Id(created), display.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Cancel_sends_override_cancelled_to_signs_and_dashboards_and_a_reconnect_no_longer_gets_it()
    {
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        string id;
        await using (var sign = await _server.ConnectAsync("/ws/sign/cxl-1"))
        {
            await _server.WaitConnectedAsync("cxl-1");
            id = Id(await CreateAsync(new { text = "Hold", sign_ids = new[] { "cxl-1" }, severity = "moderate" }));
            var activated = await dashboard.ReceiveAsync("override_activated", m => m.GetProperty("override").GetProperty("override_id").GetString() == id);
            Assert.Equal(1, activated.GetProperty("override").GetProperty("covered").GetInt32());
            Assert.Equal("moderate", activated.GetProperty("override").GetProperty("severity").GetString());
            await sign.ReceiveAsync("override");

            var cancel = await _server.Http.DeleteAsync($"/api/overrides/{id}");
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            Assert.Equal(id, (await sign.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
            var cancelled = await dashboard.ReceiveAsync("override_cancelled", m => m.GetProperty("override").GetProperty("override_id").GetString() == id);
            Assert.Equal("cancelled", cancelled.GetProperty("override").GetProperty("status").GetString());
        }
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
        Assert.Equal("cancelled", (await ReportAsync(id)).GetProperty("status").GetString());

        await using var again = await _server.ConnectAsync("/ws/sign/cxl-1");
        await _server.WaitConnectedAsync("cxl-1");
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(500);
        Assert.Empty(Types(again, "override"));
        var display = (await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/cxl-1")).GetProperty("current_display");
        Assert.NotEqual("override", display.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_override_expires_at_expires_at()
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/oexp-1");
        await _server.WaitConnectedAsync("oexp-1");
        var id = Id(await CreateAsync(new { text = "Short", sign_ids = new[] { "oexp-1" }, expires_at = DateTimeOffset.UtcNow.AddSeconds(2) }));
        await sign.ReceiveAsync("override");
        Assert.Equal(id, (await sign.ReceiveAsync("override_cancelled", timeout: TimeSpan.FromSeconds(15))).GetProperty("override_id").GetString());
        Assert.Equal("expired", (await ReportAsync(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
    }

    [Fact]
    public async Task The_tally_counts_acks_and_lists_an_offline_sign_as_unreachable()
    {
        await using var online = await _server.ConnectAsync("/ws/sign/tal-1");
        var offline = await _server.ConnectAsync("/ws/sign/tal-2");
        await _server.WaitConnectedAsync("tal-1", "tal-2");
        var id = Id(await CreateAsync(new { text = "Count me", sign_ids = new[] { "tal-1", "tal-2" } }));
        await online.ReceiveAsync("override");
        await offline.ReceiveAsync("override");
        await online.SendJsonAsync(new { type = "ack", message_id = id });
        await offline.DisposeAsync();

        JsonElement report = default;
        await Eventually.UntilAsync(async () =>
        {
            report = await ReportAsync(id);
            return report.GetProperty("acked").GetInt32() == 1 && Strings(report.GetProperty("unreachable")).Length == 1;
        }, () => report.ToString(), TimeSpan.FromSeconds(10));
        Assert.Equal("active", report.GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("covered").GetInt32());
        Assert.Equal(["tal-2"], Strings(report.GetProperty("not_acked")));
        Assert.Equal(["tal-2"], Strings(report.GetProperty("unreachable")));
    }

    [Theory]
    [InlineData("""{"text":"x","all":true,"zone":"north"}""", "target")]
    [InlineData("""{"text":"x","sign_ids":["a"],"area":{"circle":{"center":[0,0],"radius_m":10}}}""", "target")]
    [InlineData("""{"text":"x"}""", "target")]
    [InlineData("""{"text":"x","area":{"circle":{"center":[0,0],"radius_m":0}}}""", "area.circle.radius_m")]
    [InlineData("""{"text":"x","area":{"circle":{"center":[0,0],"radius_m":100001}}}""", "area.circle.radius_m")]
    [InlineData("""{"text":"x","area":{"circle":{"center":[0,0]}}}""", "area.circle.radius_m")]
    [InlineData("""{"text":"x","area":{"circle":{"center":[0,95],"radius_m":10}}}""", "area.circle.center")]
    [InlineData("""{"text":"x","area":{"polygon":[[0,0],[1,0],[0,0]]}}""", "area.polygon")]
    [InlineData("""{"text":"x","area":{"polygon":[[0,0],[1,0],[181,1],[0,0]]}}""", "area.polygon[2]")]
    [InlineData("""{"text":"x","area":{}}""", "area")]
    [InlineData("""{"text":"x","all":true,"severity":"catastrophic"}""", "severity")]
    [InlineData("""{"text":"x","all":true,"urgency":"now"}""", "urgency")]
    [InlineData("""{"text":"x","all":true,"expires_at":"2001-01-01T00:00:00Z"}""", "expires_at")]
    [InlineData("""{"all":true}""", "text")]
    [InlineData("""{"template_id":"no-such-template","all":true}""", "template_id")]
    public async Task Bad_bodies_are_400_naming_the_field(string json, string field)
    {
        var response = await _server.Http.PostAsync("/api/overrides", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"{field}:", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_override_id_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/overrides/ovr-unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.DeleteAsync("/api/overrides/ovr-unknown")).StatusCode);
    }

    [Fact]
    public async Task A_sign_away_when_its_override_is_cancelled_is_told_when_it_comes_back()
    {
        var sign = await _server.ConnectAsync("/ws/sign/away-1");
        await _server.WaitConnectedAsync("away-1");
        var id = Id(await CreateAsync(new { text = "Storm: take shelter", sign_ids = new[] { "away-1" } }));
        await sign.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == id);
        await sign.DisposeAsync();
        await _server.WaitForSignAsync("away-1", s => !s.GetProperty("connected").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);

        await using var back = await _server.ConnectAsync("/ws/sign/away-1");
        var cancelled = await back.ReceiveAsync("override_cancelled");
        Assert.Equal(id, cancelled.GetProperty("override_id").GetString());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.DoesNotContain("override", Types(back, "override"));

        // Told once: a later reconnect hears nothing more about it.
        await back.DisposeAsync();
        await _server.WaitForSignAsync("away-1", s => !s.GetProperty("connected").GetBoolean());
        await using var again = await _server.ConnectAsync("/ws/sign/away-1");
        await _server.WaitConnectedAsync("away-1");
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.Empty(Types(again, "override", "override_cancelled"));
    }

    [Fact]
    public async Task A_sign_whose_grain_was_reactivated_while_its_socket_stayed_open_still_gets_overrides_at_once()
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/phoenix-1");
        await _server.WaitConnectedAsync("phoenix-1");
        // Deactivate every idle grain, as a silo restart or idle collection would; the socket stays open.
        var management = _server.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        await Task.Delay(200);
        await management.ForceActivationCollection(TimeSpan.FromMilliseconds(100));

        await sign.SendJsonAsync(new { type = "heartbeat", data = new { battery = 90 } });
        await _server.WaitForSignAsync("phoenix-1", s => s.GetProperty("connected").GetBoolean() && s.GetProperty("battery").GetInt32() == 90);

        var id = Id(await CreateAsync(new { text = "Gate closed", sign_ids = new[] { "phoenix-1" } }));
        await sign.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == id, TimeSpan.FromSeconds(5));
    }

    private async Task RegisterAsync(string signId, double[]? coordinates) =>
        (await _server.PutJsonAsync($"/api/signs/{signId}", new { name = signId, coordinates })).EnsureSuccessStatusCode();

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/overrides", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> ReportAsync(string id) => _server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");

    private static string Id(JsonElement created) => created.GetProperty("override_id").GetString()!;

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] Types(WsClient client, params string[] types)
    {
        return client.History.Select(m => m.GetProperty("type").GetString()!).Where(types.Contains).ToArray();
    }
}

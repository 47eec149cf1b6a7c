using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Hostile;

/// <summary>The hostile inputs issue #8 names, each answered with a 400 problem or a socket error naming the field.</summary>
public sealed class HostileRegressionTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private EmbeddedServer Server => fixture.Server;

    private async Task<JsonElement> PostRawAsync(string path, string json, HttpStatusCode expected)
    {
        var response = await Server.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path} {json} -> {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    [Theory]
    [InlineData("/api/messages", """{"text":"x","sign_ids":["a",null]}""", "sign_ids: item 1 is null")]
    [InlineData("/api/messages", """{"text":"x","sign_ids":[null]}""", "sign_ids: item 0 is null")]
    [InlineData("/api/overrides", """{"text":"x","sign_ids":["a",null]}""", "sign_ids: item 1 is null")]
    [InlineData("/api/overrides", """{"text":"x","sign_ids":[null]}""", "sign_ids: item 0 is null")]
    [InlineData("/api/templates/emergency-evacuation/render", """{"variables":{"exit":"\ud800"}}""", "variables.exit")]
    [InlineData("/api/messages", """{"template_id":"emergency-evacuation","variables":{"exit":"\udfff"},"sign_ids":["a"]}""", "variables.exit")]
    [InlineData("/api/messages", """{"text":"x","sign_ids":"a"}""", "sign_ids")]
    [InlineData("/api/messages", """{"text":"x","sign_ids":["a"],"display_seconds":1e999}""", "display_seconds")]
    [InlineData("/api/users/register", """{"phone":"+٥٧٣٠٠١٢٣٤٥٦٧","name":"Ana"}""", "phone")]
    [InlineData("/api/users/register", """{"phone":"+５７３００１２３４５６７","name":"Ana"}""", "phone")]
    public async Task A_hostile_body_is_a_400_problem_naming_the_field(string path, string json, string field)
    {
        var problem = await PostRawAsync(path, json, HttpStatusCode.BadRequest);

        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_deeply_nested_body_is_a_400_problem()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":[", 500)) + "1" + string.Concat(Enumerable.Repeat("]}", 500));

        await PostRawAsync("/api/messages", "{\"text\":\"x\",\"sign_ids\":[\"a\"],\"variables\":" + deep + "}", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_phone_with_non_ascii_digits_does_not_register_a_second_user()
    {
        var digits = Random.Shared.NextInt64(3_000_000_000, 3_999_999_999).ToString();
        var ascii = "+57" + digits;
        var arabicIndic = "+٥٧" + string.Concat(digits.Select(d => (char)('٠' + (d - '0'))));
        (await Server.Http.PostAsJsonAsync("/api/users/register", new { phone = ascii, name = "Ana" })).EnsureSuccessStatusCode();

        var second = await Server.Http.PostAsJsonAsync("/api/users/register", new { phone = arabicIndic, name = "Ana again" });

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("ASCII digits", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_template_rendering_past_the_cap_is_a_400_naming_variables()
    {
        var id = $"big-{Guid.NewGuid():N}"[..16];
        var text = string.Concat(Enumerable.Range(0, 10).Select(i => $"{{v{i}}}"));
        (await Server.Http.PostAsJsonAsync("/api/templates", new { id, name = "big", category = "test", text })).EnsureSuccessStatusCode();
        var variables = Enumerable.Range(0, 10).ToDictionary(i => $"v{i}", _ => new string('x', 500));

        var response = await Server.Http.PostAsJsonAsync($"/api/templates/{id}/render", new { variables });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 2000 characters", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_override_polygon_over_the_point_cap_is_a_400_naming_area_polygon()
    {
        var ring = Enumerable.Range(0, 1001).Select(i => new[] { -74 + i * 1e-5, 4.7 + (i % 2) * 1e-5 }).Append([-74, 4.7]).ToArray();

        var response = await Server.Http.PostAsJsonAsync("/api/overrides", new { text = "x", area = new { polygon = ring } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("area.polygon", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"type":"metrics","data":{"\ud800":1}}""", "data")]
    [InlineData("""{"type":"heartbeat","data":{"battery":[null]}}""", "data.battery")]
    [InlineData("""{"type":"heartbeat","data":{"crowd_density":"\ud800"}}""", "data.crowd_density")]
    [InlineData("""{"type":"ack","message_id":null}""", "message_id")]
    public async Task A_hostile_sign_frame_gets_an_error_naming_the_field_and_the_socket_stays_open(string frame, string field)
    {
        await using var sign = await Server.ConnectAsync($"/ws/sign/hostile-{Guid.NewGuid():N}"[..30]);

        await sign.SendTextAsync(frame);

        var error = await sign.ReceiveAsync("error");
        Assert.Contains(field, error.GetProperty("message").GetString());
        Assert.Equal(WebSocketState.Open, sign.State);
    }

    [Fact]
    public async Task Ready_does_not_show_exception_text()
    {
        var response = await Server.Http.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The per-gateway connection cap: a socket past it is closed with 1013 (try again later), and the gateway stays healthy.</summary>
public sealed class ConnectionCapTests
{
    [Fact]
    public async Task A_socket_past_the_cap_is_closed_with_1013_and_a_freed_slot_is_reused()
    {
        await using var server = await EmbeddedServer.StartAsync(new() { ["WS_MAX_CONNECTIONS"] = "3" });
        var open = new List<WsClient>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await server.ConnectAsync("/ws/dashboard"));
            await open[^1].ReceiveAsync("all_signs");
        }

        await using var refused = await server.ConnectAsync("/ws/dashboard");
        await refused.WaitClosedAsync();
        Assert.Equal((WebSocketCloseStatus)1013, refused.CloseStatus);
        Assert.Contains("try again later", refused.CloseDescription);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);

        await open[0].DisposeAsync();
        await Eventually.UntilAsync(async () =>
        {
            await using var again = await server.ConnectAsync("/ws/dashboard");
            try
            {
                await again.ReceiveAsync("all_signs");
                return true;
            }
            catch (InvalidOperationException)
            {
                return false; // still full: closed with 1013 before the snapshot
            }
        });
        foreach (var client in open.Skip(1)) await client.DisposeAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Signs;

/// <summary>Whatever a client sends, it gets a clear error, the connection survives a bad message, and nothing is stored.</summary>
public sealed class BadInputTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    public static TheoryData<string, string, string> BadSignMessages => new()
    {
        { "{not json", "invalid_message", "malformed JSON" },
        { "[1,2,3]", "invalid_message", "JSON object" },
        { "{\"data\":{}}", "invalid_message", "'type'" },
        { "{\"type\":\"dance\"}", "unknown_type", "dance" },
        { "{\"type\":\"\\uD800\"}", "invalid_message", "'type'" },
        { "{\"type\":\"heartbeat\",\"data\":{\"crowd_density\":\"\\uD800\"}}", "invalid_message", "data.crowd_density" },
        { "{\"type\":\"heartbeat\"}", "invalid_message", "data" },
        { "{\"type\":\"heartbeat\",\"data\":{\"battery\":101}}", "invalid_message", "data.battery" },
        { "{\"type\":\"heartbeat\",\"data\":{\"battery\":-1}}", "invalid_message", "data.battery" },
        { "{\"type\":\"heartbeat\",\"data\":{\"battery\":\"full\"}}", "invalid_message", "data.battery" },
        { "{\"type\":\"heartbeat\",\"data\":{\"battery\":50.5}}", "invalid_message", "data.battery" },
        { "{\"type\":\"heartbeat\",\"data\":{\"crowd_density\":\"huge\"}}", "invalid_message", "data.crowd_density" },
        { "{\"type\":\"heartbeat\",\"data\":{\"crowd_count\":-5}}", "invalid_message", "data.crowd_count" },
        { "{\"type\":\"heartbeat\",\"data\":{\"signal_strength\":20}}", "invalid_message", "data.signal_strength" },
        { "{\"type\":\"metrics\",\"data\":{\"impressions\":\"many\"}}", "invalid_message", "data.impressions" },
        { "{\"type\":\"metrics\",\"data\":[]}", "invalid_message", "data" },
        { "{\"type\":\"ack\"}", "invalid_message", "message_id" },
        { "{\"type\":\"ack\",\"message_id\":\"never-sent\"}", "invalid_message", "never-sent" },
    };

    [Theory]
    [MemberData(nameof(BadSignMessages))]
    public async Task A_bad_sign_message_gets_an_error_and_the_connection_stays_open(string frame, string code, string mentions)
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/bad-1");
        await sign.SendTextAsync("{\"type\":\"heartbeat\",\"data\":{\"battery\":40,\"crowd_density\":\"low\"}}");
        await _server.WaitForSignAsync("bad-1", s => s.TryGetProperty("battery", out var b) && b.GetInt32() == 40);

        await sign.SendTextAsync(frame);
        var error = await sign.ReceiveAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(mentions, error.GetProperty("message").GetString());

        // Still open, and the bad message changed nothing.
        Assert.Equal(WebSocketState.Open, sign.State);
        var stored = await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/bad-1");
        Assert.Equal(40, stored.GetProperty("battery").GetInt32());
        Assert.Equal("low", stored.GetProperty("crowd_density").GetString());
        await sign.SendTextAsync("{\"type\":\"heartbeat\",\"data\":{\"battery\":41}}");
        await _server.WaitForSignAsync("bad-1", s => s.TryGetProperty("battery", out var b) && b.GetInt32() == 41);
    }

    [Fact]
    public async Task Unknown_type_error_names_the_message_it_replies_to()
    {
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        await dashboard.SendJsonAsync(new { type = "explode" });
        var error = await dashboard.ReceiveAsync("error");
        Assert.Equal("unknown_type", error.GetProperty("code").GetString());
        Assert.Equal("explode", error.GetProperty("in_reply_to").GetString());
        await dashboard.SendJsonAsync(new { type = "get_all_signs" });
        await dashboard.ReceiveAsync("all_signs");
    }

    [Fact]
    public async Task A_frame_over_64_KiB_closes_the_socket_with_1009()
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/big-1");
        var huge = "{\"type\":\"heartbeat\",\"data\":{\"pad\":\"" + new string('x', 70 * 1024) + "\"}}";
        await sign.SendBytesAsync(Encoding.UTF8.GetBytes(huge), WebSocketMessageType.Text);
        await sign.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, sign.CloseStatus);
    }

    [Fact]
    public async Task A_frame_of_just_under_64_KiB_is_accepted()
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/big-2");
        var frame = "{\"type\":\"heartbeat\",\"data\":{\"battery\":33},\"pad\":\"" + new string('x', 60 * 1024) + "\"}";
        await sign.SendTextAsync(frame);
        await _server.WaitForSignAsync("big-2", s => s.TryGetProperty("battery", out var b) && b.GetInt32() == 33);
    }

    [Theory]
    [InlineData("has%20space")]
    [InlineData("semi;colon")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_invalid_sign_id_is_refused_with_a_clear_reason(string signId)
    {
        await using var sign = await _server.ConnectAsync($"/ws/sign/{signId}");
        var error = await sign.ReceiveAsync("error");
        Assert.Equal("invalid_sign_id", error.GetProperty("code").GetString());
        await sign.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, sign.CloseStatus);
        Assert.Contains("1-64", sign.CloseDescription);

        var rest = await _server.Http.GetAsync($"/api/signs/{signId}");
        Assert.Equal(HttpStatusCode.BadRequest, rest.StatusCode);
    }

    [Fact]
    public async Task Flooding_a_socket_gets_rate_limited_then_closed()
    {
        await using var sign = await _server.ConnectAsync("/ws/sign/flood-1");
        var frame = "{\"type\":\"dance\"}";
        for (var i = 0; i < 400 && sign.State == WebSocketState.Open; i++)
        {
            try { await sign.SendTextAsync(frame); }
            catch (WebSocketException) { break; }
        }
        await sign.WaitClosedAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, sign.CloseStatus);
        Assert.Contains(sign.History, m => m.GetProperty("type").GetString() == "error" && m.GetProperty("code").GetString() == "rate_limited");
    }

    [Fact]
    public async Task Unknown_sign_over_REST_is_a_404_problem()
    {
        var response = await _server.Http.GetAsync("/api/signs/nobody-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("nobody-here", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{bad json", "body")]
    [InlineData("{\"name\":5}", "name")]
    [InlineData("{\"coordinates\":[4.71]}", "coordinates")]
    [InlineData("{\"coordinates\":[-74.07, 95]}", "latitude")]
    [InlineData("{\"coordinates\":[-200, 4.7]}", "longitude")]
    [InlineData("{\"zone\":\"bad zone!\"}", "zone")]
    [InlineData("{\"name\":\"\"}", "name")]
    public async Task Bad_sign_registration_is_a_400_problem_naming_the_field(string body, string mentions)
    {
        var response = await _server.Http.PutAsync("/api/signs/reg-1", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(mentions, problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/signs/reg-1")).StatusCode);
    }

    [Fact]
    public async Task A_plain_HTTP_request_to_a_socket_endpoint_is_a_400_problem()
    {
        var response = await _server.Http.GetAsync("/ws/dashboard");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ready_and_api_docs_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health")).StatusCode);
        var ready = await _server.Http.GetFromJsonAsync<JsonElement>("/ready");
        Assert.Equal("writable", ready.GetProperty("storage").GetString());
        var openApi = await _server.Http.GetFromJsonAsync<JsonElement>("/openapi.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/signs/{signId}", out _));
        Assert.Contains("swagger", await _server.Http.GetStringAsync("/docs/index.html"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("redoc", await _server.Http.GetStringAsync("/redoc/index.html"), StringComparison.OrdinalIgnoreCase);
    }
}

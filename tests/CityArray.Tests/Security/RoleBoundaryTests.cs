using System.Net;

namespace CityArray.Tests.Security;

/// <summary>
/// Every operator endpoint and the dashboard socket, called by nobody, a user, and each operator role: below the endpoint's
/// role the answer is 401 (no token) or 403 (a token without the role); at or above it the request gets through (roles are cumulative).
/// </summary>
public sealed class RoleBoundaryTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private static readonly string[] Ranks = ["viewer", "moderator", "operator", "admin"];

    public static TheoryData<string, string, string, string?> Endpoints => new()
    {
        // method, path, least role, body ("{}" = an empty JSON object: allowed callers get a 400, never a 401/403)
        { "GET", "/api/signs", "viewer", null },
        { "GET", "/api/signs/probe-1", "viewer", null },
        { "GET", "/api/signs/probe-1/metrics", "viewer", null },
        { "POST", "/api/signs/probe-1/request_status", "operator", null },
        { "PUT", "/api/signs/probe-1", "admin", "{}" },
        { "POST", "/api/signs/unknown-sign/secret", "admin", null },
        { "DELETE", "/api/signs/unknown-sign/secret", "admin", null },
        { "GET", "/api/templates", "viewer", null },
        { "GET", "/api/templates/unknown", "viewer", null },
        { "POST", "/api/templates/unknown/render", "viewer", "{}" },
        { "POST", "/api/templates", "admin", "{}" },
        { "PUT", "/api/templates/unknown", "admin", "{}" },
        { "DELETE", "/api/templates/unknown", "admin", null },
        { "POST", "/api/messages", "operator", "{}" },
        { "GET", "/api/messages/unknown", "viewer", null },
        { "POST", "/api/overrides", "operator", "{}" },
        { "GET", "/api/overrides/unknown", "viewer", null },
        { "DELETE", "/api/overrides/unknown", "operator", null },
        { "POST", "/api/alerts/cap", "operator", "<not-cap/>" },
        { "GET", "/api/submissions", "moderator", null },
        { "GET", "/api/submissions/unknown", "moderator", null },
        { "POST", "/api/submissions/unknown/approve", "moderator", null },
        { "POST", "/api/submissions/unknown/reject", "moderator", null },
        { "POST", "/api/alerts/sms", "operator", "{}" },
        { "POST", "/api/alerts/voice", "operator", "{}" },
        { "GET", "/api/alerts/0123456789abcdef", "operator", null },
        { "GET", "/api/weather", "viewer", null },
        { "GET", "/api/operators", "admin", null },
        { "POST", "/api/operators", "admin", "{}" },
        { "POST", "/api/operators/nobody/disable", "admin", null },
        { "POST", "/api/operators/nobody/enable", "admin", null },
        { "PUT", "/api/operators/nobody/password", "admin", "{}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_endpoint_admits_its_role_and_above_and_refuses_everyone_else(string method, string path, string role, string? body)
    {
        var user = await fixture.RegisterAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(method, path, null, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(method, path, user.Token, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(method, path, "not-a-token", body)).StatusCode);
        var least = Array.IndexOf(Ranks, role);
        for (var i = 0; i < Ranks.Length; i++)
        {
            var status = (await Send(method, path, fixture.Tokens[Ranks[i]], body)).StatusCode;
            if (i < least) Assert.True(status == HttpStatusCode.Forbidden, $"{Ranks[i]} on {method} {path}: {status}, expected 403");
            else Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{Ranks[i]} on {method} {path}: {status}, expected through");
        }
    }

    [Fact]
    public async Task Public_endpoints_need_no_token()
    {
        foreach (var path in new[] { "/health", "/api/auth/status", "/api/events/nearby?lng=-74.07&lat=4.71", "/openapi.json" })
            Assert.Equal(HttpStatusCode.OK, (await Send("GET", path, null, null)).StatusCode);
        var submitted = await fixture.SendAsync(HttpMethod.Post, "/api/submissions", body: new { name = "Ana", text = "Great show!" });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
    }

    [Fact]
    public async Task Dashboard_socket_needs_a_viewer_token_in_the_query_or_the_subprotocol()
    {
        var user = await fixture.RegisterAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync("/ws/dashboard")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync("/ws/dashboard?access_token=garbage")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/dashboard?access_token={user.Token}")).Status);

        foreach (var role in Ranks)
        {
            var (status, socket) = await fixture.TryConnectAsync($"/ws/dashboard?access_token={fixture.Tokens[role]}");
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            using (socket) Assert.Equal("all_signs", (await socket!.ReceiveAsync()).GetProperty("type").GetString());
        }

        var (byProtocol, browserLike) = await fixture.TryConnectAsync("/ws/dashboard", subprotocols: ["access_token", fixture.Tokens["viewer"]]);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, byProtocol);
        using (browserLike)
        {
            Assert.Equal("access_token", browserLike!.SubProtocol);
            Assert.Equal("all_signs", (await browserLike.ReceiveAsync()).GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Sign_in_answers_a_bearer_token_with_the_role_and_refuses_wrong_passwords()
    {
        var ok = await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "viewer-1", password = "viewer-password-123" });
        var body = await ok.Content.ReadAsStringAsync();
        Assert.Contains("\"role\":\"viewer\"", body);
        Assert.Contains("\"token_type\":\"bearer\"", body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "viewer-1", password = "wrong-password-123" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "nobody", password = "whatever-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "viewer-1" })).StatusCode);

        var status = await (await fixture.SendAsync(HttpMethod.Get, "/api/auth/status", fixture.Tokens["moderator"])).Content.ReadAsStringAsync();
        Assert.Contains("\"mode\":\"secured\"", status);
        Assert.Contains("\"role\":\"moderator\"", status);
    }

    private Task<HttpResponseMessage> Send(string method, string path, string? token, string? body) =>
        fixture.SendAsync(new HttpMethod(method), path, token, body switch { null => null, "{}" => new { }, var xml => xml });
}

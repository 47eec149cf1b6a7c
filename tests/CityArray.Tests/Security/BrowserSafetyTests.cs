using System.Net;
using System.Net.Http.Json;

namespace CityArray.Tests.Security;

/// <summary>Another web site cannot act through a visitor's browser: cross-origin writes and sockets are refused; headers forbid framing and sniffing.</summary>
public sealed class BrowserSafetyTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private const string Evil = "https://evil.example.com";
    private static readonly object Override = new { text = "x", sign_ids = new[] { "no-such-sign" } };

    [Fact]
    public async Task Cross_origin_writes_are_refused_even_with_a_valid_token_but_same_origin_and_listed_origins_pass()
    {
        var token = fixture.Tokens["operator"];
        var refused = await fixture.SendAsync(HttpMethod.Post, "/api/overrides", token, Override, new() { ["Origin"] = Evil });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("origin", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, "/api/submissions", body: new { name = "a", text = "b" }, headers: new() { ["Origin"] = Evil })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, "/api/auth/token", body: new { username = "root", password = SecuredServerFixture.AdminPassword }, headers: new() { ["Origin"] = Evil })).StatusCode);

        var self = $"http://127.0.0.1:{fixture.Server.Port}";
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, "/api/overrides", token, Override, new() { ["Origin"] = self })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, "/api/overrides", token, Override, new() { ["Origin"] = SecuredServerFixture.ConsoleOrigin })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, "/api/overrides", token, Override)).StatusCode);
    }

    [Fact]
    public async Task Cors_answers_only_the_listed_origins()
    {
        var allowed = new HttpRequestMessage(HttpMethod.Options, "/api/overrides");
        allowed.Headers.Add("Origin", SecuredServerFixture.ConsoleOrigin);
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        allowed.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var ok = await fixture.Http.SendAsync(allowed);
        Assert.Equal(SecuredServerFixture.ConsoleOrigin, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var denied = new HttpRequestMessage(HttpMethod.Options, "/api/overrides");
        denied.Headers.Add("Origin", Evil);
        denied.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await fixture.Http.SendAsync(denied)).Headers.Contains("Access-Control-Allow-Origin"));

        var read = new HttpRequestMessage(HttpMethod.Get, "/api/auth/status");
        read.Headers.Add("Origin", Evil);
        Assert.False((await fixture.Http.SendAsync(read)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cross_origin_sockets_are_refused_and_clients_without_an_origin_are_not()
    {
        var viewer = fixture.Tokens["viewer"];
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/dashboard?access_token={viewer}", new() { ["Origin"] = Evil })).Status);
        var user = await fixture.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/{user.Id}?access_token={user.Token}", new() { ["Origin"] = Evil })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync("/ws/sign/any-sign?token=x", new() { ["Origin"] = Evil })).Status);

        foreach (var origin in new[] { SecuredServerFixture.ConsoleOrigin, $"http://127.0.0.1:{fixture.Server.Port}", null })
        {
            var (status, socket) = await fixture.TryConnectAsync($"/ws/dashboard?access_token={viewer}", origin is null ? null : new() { ["Origin"] = origin });
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            socket!.Dispose();
        }
    }

    [Fact]
    public async Task Every_answer_carries_the_standard_security_headers()
    {
        foreach (var path in new[] { "/health", "/api/signs", "/docs/index.html" })
        {
            var response = await fixture.Http.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task Socket_tokens_never_reach_the_logs()
    {
        var viewer = fixture.Tokens["viewer"];
        var (status, socket) = await fixture.TryConnectAsync($"/ws/dashboard?access_token={viewer}");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        socket!.Dispose();
        await fixture.TryConnectAsync("/ws/dashboard?access_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.forged-token-value");
        var signSecret = (await (await fixture.SendAsync(HttpMethod.Put, "/api/signs/log-probe", fixture.Tokens["admin"], new { name = "probe" }))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!;
        (await fixture.TryConnectAsync($"/ws/sign/log-probe?token={signSecret}")).Socket?.Dispose();
        await fixture.TryConnectAsync("/ws/sign/log-probe?token=wrong-secret-value");

        Assert.NotEmpty(fixture.Logs.Lines); // the capture works (Microsoft.AspNetCore logs at Debug here)
        foreach (var secret in new[] { viewer, "forged-token-value", signSecret, "wrong-secret-value" })
            Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(secret));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Gateway;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CityArray.Tests.Security;

/// <summary>Without SECRET_KEY the embedded default runs open and says so; cluster mode refuses to start without a key.</summary>
public sealed class OpenModeTests
{
    [Fact]
    public async Task Open_mode_warns_at_start_and_on_ready_and_needs_no_tokens()
    {
        var logs = new LogCapture();
        await using var server = await EmbeddedServer.StartAsync(configure: b => b.Logging.AddProvider(logs));
        Assert.Contains(logs.Lines, line => line.StartsWith("Warning") && line.Contains("SECURITY IS OFF"));

        var ready = await server.Http.GetFromJsonAsync<JsonElement>("/ready");
        Assert.Equal("open", ready.GetProperty("security").GetString());
        Assert.Contains("SECRET_KEY", ready.GetProperty("warning").GetString());
        Assert.Equal("open", (await server.Http.GetFromJsonAsync<JsonElement>("/api/auth/status")).GetProperty("mode").GetString());

        // Operator endpoints answer without a token; a user still gets a session token at registration.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/signs")).StatusCode);
        var registered = await (await server.Http.PostAsJsonAsync("/api/users/register", new { phone = "+573005550101", name = "Ana" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(registered.GetProperty("token").GetString()));
        // Even open, a stranger does not see the phone.
        Assert.False((await server.Http.GetFromJsonAsync<JsonElement>($"/api/users/{registered.GetProperty("id").GetString()}")).TryGetProperty("phone", out _));
        // The Origin check holds in open mode too: a web page cannot drive the local server.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/overrides") { Content = JsonContent.Create(new { text = "x", all = true }) };
        request.Headers.Add("Origin", "https://evil.example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Secured_mode_says_so_on_ready()
    {
        await using var server = await EmbeddedServer.StartAsync(new() { ["SECRET_KEY"] = SecuredServerFixture.SecretKey });
        var ready = await server.Http.GetFromJsonAsync<JsonElement>("/ready");
        Assert.Equal("secured", ready.GetProperty("security").GetString());
        Assert.False(ready.TryGetProperty("warning", out _));
    }

    [Fact]
    public void Cluster_mode_without_a_key_and_a_short_key_refuse_to_start()
    {
        var cluster = new Dictionary<string, string?> { ["DATABASE_URL"] = "postgresql://u:p@127.0.0.1:1/none", ["HOST"] = "127.0.0.1", ["PORT"] = "0" };
        var missing = Assert.Throws<FormatException>(() => GatewayApp.Build([], cluster));
        Assert.Contains("SECRET_KEY is required in cluster mode", missing.Message);

        cluster["SECRET_KEY"] = "too-short";
        Assert.Contains("at least 32", Assert.Throws<FormatException>(() => GatewayApp.Build([], cluster)).Message);
    }
}

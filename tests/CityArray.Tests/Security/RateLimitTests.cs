using System.Net;
using System.Net.Http.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Security;

/// <summary>
/// Rate limits count per real client: behind a known proxy (FORWARDED_PROXIES) that is the X-Forwarded-For address; from
/// anyone else the header is ignored. Limits trip with 429 + Retry-After and recover when the window passes.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private EmbeddedServer _behindProxy = null!;
    private EmbeddedServer _direct = null!;

    private static Dictionary<string, string?> Settings(string? proxies) => new()
    {
        ["SECRET_KEY"] = SecuredServerFixture.SecretKey,
        ["RATE_LIMIT_REST"] = "3",
        ["RATE_LIMIT_SIGNIN"] = "2",
        ["RATE_LIMIT_WINDOW_SECONDS"] = "6",
        ["SUBMISSIONS_PER_CLIENT"] = "1",
        ["FORWARDED_PROXIES"] = proxies,
    };

    public async Task InitializeAsync()
    {
        _behindProxy = await EmbeddedServer.StartAsync(Settings("127.0.0.1"));
        _direct = await EmbeddedServer.StartAsync(Settings(null));
    }

    public async Task DisposeAsync()
    {
        await _behindProxy.DisposeAsync();
        await _direct.DisposeAsync();
    }

    private static Task<HttpResponseMessage> Get(EmbeddedServer server, string path, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", client);
        return server.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Post(EmbeddedServer server, string path, object body, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Forwarded-For", client);
        return server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Rest_limit_trips_per_forwarded_client_and_recovers()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Get(_behindProxy, "/api/auth/status", "203.0.113.7")).StatusCode);
        var limited = await Get(_behindProxy, "/api/auth/status", "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // Another attendee behind the same proxy has a budget of its own.
        Assert.Equal(HttpStatusCode.OK, (await Get(_behindProxy, "/api/auth/status", "203.0.113.8")).StatusCode);
        // Health is not /api and never limited.
        Assert.Equal(HttpStatusCode.OK, (await Get(_behindProxy, "/health", "203.0.113.7")).StatusCode);
        await Eventually.UntilAsync(async () => (await Get(_behindProxy, "/api/auth/status", "203.0.113.7")).StatusCode == HttpStatusCode.OK,
            timeout: TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_peer_are_ignored()
    {
        // Without FORWARDED_PROXIES, a client cannot get new budgets by inventing X-Forwarded-For addresses.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await Get(_direct, "/api/auth/status", $"198.51.100.{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(_direct, "/api/auth/status", "198.51.100.99")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_has_its_own_tighter_limit()
    {
        var attempt = new { username = "nobody", password = "wrong-password-123" };
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await Post(_behindProxy, "/api/auth/token", attempt, "203.0.113.20")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Post(_behindProxy, "/api/auth/token", attempt, "203.0.113.20")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(_behindProxy, "/api/auth/token", attempt, "203.0.113.21")).StatusCode);
        await Eventually.UntilAsync(async () => (await Post(_behindProxy, "/api/auth/token", attempt, "203.0.113.20")).StatusCode == HttpStatusCode.Unauthorized,
            timeout: TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_submission_quota_counts_each_attendee_behind_the_proxy_separately()
    {
        var body = new { name = "Ana", text = "Hola" };
        Assert.Equal(HttpStatusCode.Created, (await Post(_behindProxy, "/api/submissions", body, "203.0.113.30")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Post(_behindProxy, "/api/submissions", body, "203.0.113.30")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(_behindProxy, "/api/submissions", body, "203.0.113.31")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CityArray.Tests.Security;

/// <summary>
/// One secured embedded server (SECRET_KEY set, a bootstrap admin, one operator account per role, CORS for one console
/// origin, generous rate limits) shared by the security tests of a class; logs are captured down to Debug.
/// </summary>
public sealed class SecuredServerFixture : IAsyncLifetime
{
    public const string SecretKey = "test-secret-key-0123456789-abcdefghijklmnop";
    public const string AdminPassword = "admin-password-for-tests";
    public const string ConsoleOrigin = "https://console.example.org";

    public EmbeddedServer Server { get; private set; } = null!;
    public LogCapture Logs { get; } = new();

    /// <summary>Operator tokens by role name (viewer, moderator, operator, admin).</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    public async Task InitializeAsync()
    {
        Server = await EmbeddedServer.StartAsync(new()
        {
            ["SECRET_KEY"] = SecretKey,
            ["ADMIN_USERNAME"] = "root",
            ["ADMIN_PASSWORD"] = AdminPassword,
            ["CORS_ORIGINS"] = ConsoleOrigin,
            ["RATE_LIMIT_REST"] = "1000000",
            ["RATE_LIMIT_SIGNIN"] = "1000000",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        }, configure: b => b.Logging.AddProvider(Logs));
        Tokens["admin"] = await SignInAsync("root", AdminPassword);
        foreach (var role in new[] { "viewer", "moderator", "operator" })
        {
            var name = $"{role}-1";
            var created = await SendAsync(HttpMethod.Post, "/api/operators", Tokens["admin"], new { username = name, password = $"{role}-password-123", role });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Tokens[role] = await SignInAsync(name, $"{role}-password-123");
        }
    }

    public HttpClient Http => Server.Http;

    public async Task<string> SignInAsync(string username, string password)
    {
        var response = await Http.PostAsJsonAsync("/api/auth/token", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Sends a request with an optional bearer token, JSON body and extra headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? body = null,
        Dictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string xml) request.Content = new StringContent(xml, System.Text.Encoding.UTF8, "application/cap+xml");
        else if (body is not null) request.Content = JsonContent.Create(body);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return Http.SendAsync(request);
    }

    /// <summary>Registers a user; returns its id, phone and session token.</summary>
    public async Task<(string Id, string Phone, string Token)> RegisterAsync(string name = "Ana Gomez")
    {
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(phone, body.GetProperty("phone").GetString());
        return (body.GetProperty("id").GetString()!, phone, body.GetProperty("token").GetString()!);
    }

    /// <summary>Tries a WebSocket upgrade; returns the HTTP status (101 when it opened) and the socket when it did.</summary>
    public Task<(HttpStatusCode Status, ClientWebSocket? Socket)> TryConnectAsync(string pathAndQuery,
        Dictionary<string, string>? headers = null, string[]? subprotocols = null) =>
        RawSockets.TryConnectAsync(Server.WebSocketUri(pathAndQuery), headers, subprotocols);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Raw WebSocket upgrades that report the HTTP status of a refusal.</summary>
public static class RawSockets
{
    public static async Task<(HttpStatusCode Status, ClientWebSocket? Socket)> TryConnectAsync(Uri uri,
        Dictionary<string, string>? headers = null, string[]? subprotocols = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? []) socket.Options.SetRequestHeader(name, value);
        foreach (var protocol in subprotocols ?? []) socket.Options.AddSubProtocol(protocol);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await socket.ConnectAsync(uri, timeout.Token);
            return (HttpStatusCode.SwitchingProtocols, socket);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
    }

    /// <summary>Receives the next text message as JSON (10 s at most).</summary>
    public static async Task<JsonElement> ReceiveAsync(this ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += result.Count;
        } while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
        return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
    }

    /// <summary>Receives until a message of <paramref name="type"/> arrives.</summary>
    public static async Task<JsonElement> ReceiveAsync(this ClientWebSocket socket, string type)
    {
        while (true)
        {
            var message = await socket.ReceiveAsync();
            if (message.GetProperty("type").GetString() == type) return message;
        }
    }
}

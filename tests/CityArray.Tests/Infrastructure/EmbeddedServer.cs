using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Gateway;
using CityArray.Silo.Hosting;
using Microsoft.AspNetCore.Builder;

namespace CityArray.Tests.Infrastructure;

/// <summary>The whole embedded system (gateway + co-hosted silo on SQLite) running in the test process on a loopback port.</summary>
public sealed class EmbeddedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedServer(WebApplication app, int port, string dataDirectory, TestClock clock)
    {
        _app = app;
        Clock = clock;
        Port = port;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }
    public string DataDirectory { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>The clock this server's grains and gateway read for their rules: advance it instead of sleeping through a deadline.</summary>
    public TestClock Clock { get; }

    /// <summary>Starts a server on a fresh SQLite file (or <paramref name="dataDirectory"/>), with short timeouts suited to tests.</summary>
    public static async Task<EmbeddedServer> StartAsync(Dictionary<string, string?>? settings = null, string? dataDirectory = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        dataDirectory ??= TempDirectory.Create("embedded");
        // A test that must know the port before start (e.g. for a public callback URL) passes PORT itself.
        if (settings?.GetValueOrDefault("PORT") is { } fixedPort) return await StartOnAsync(int.Parse(fixedPort), settings, dataDirectory, configure);
        // A free port found by probing can be taken by another process before Kestrel binds it: try another one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnAsync(FreePort.Find(), settings, dataDirectory, configure);
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<EmbeddedServer> StartOnAsync(int port, Dictionary<string, string?>? settings, string dataDirectory,
        Action<WebApplicationBuilder>? configure)
    {
        var config = new Dictionary<string, string?>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(),
            ["DATABASE_URL"] = $"sqlite:///{Path.Combine(dataDirectory, "cityarray.db")}",
            ["SIGN_OFFLINE_AFTER_SECONDS"] = "3",
            ["SIGN_PING_SECONDS"] = "25",
        };
        foreach (var (key, value) in settings ?? []) config[key] = value;
        var clock = new TestClock();
        var app = GatewayApp.Build([], config, builder =>
        {
            clock.Register(builder.Services);
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync(); // the silo may have started before Kestrel failed to bind: stop it with the host
            throw;
        }
        return new EmbeddedServer(app, port, dataDirectory, clock);
    }

    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    public Task<WsClient> ConnectAsync(string path) => WsClient.ConnectAsync(WebSocketUri(path));

    /// <summary>Waits until <c>GET /api/signs/{id}</c> exists and satisfies <paramref name="condition"/>.</summary>
    public Task WaitForSignAsync(string signId, Func<JsonElement, bool> condition) =>
        Eventually.UntilAsync(async () =>
        {
            var response = await Http.GetAsync($"/api/signs/{signId}");
            return response.IsSuccessStatusCode && condition(await response.Content.ReadFromJsonAsync<JsonElement>());
        }, () => $"sign {signId}", TimeSpan.FromSeconds(10));

    /// <summary>Waits until every sign is known and connected.</summary>
    public async Task WaitConnectedAsync(params string[] signIds)
    {
        foreach (var signId in signIds) await WaitForSignAsync(signId, s => s.GetProperty("connected").GetBoolean());
    }

    public async Task<HttpResponseMessage> PutJsonAsync(string path, object body) => await Http.PutAsJsonAsync(path, body);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

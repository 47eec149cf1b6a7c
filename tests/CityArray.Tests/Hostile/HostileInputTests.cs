using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CityArray.Tests.Hostile;

/// <summary>
/// The hostile-input barrage: thousands of generated bodies, query strings, path values and socket frames against
/// every endpoint the gateway maps and every socket, asserting no 5xx, no crash, bounded memory (managed heap and
/// process working set), and that state created before the barrage reads back intact after a restart, on the
/// embedded SQLite server and on a PostgreSQL cluster (a silo and a gateway process; skipped without
/// CITYARRAY_TEST_POSTGRES_URL). Seeded: set HOSTILE_SEED to replay a failure.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output, PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    // The barrage is split between the two databases (together as large as the SQLite-only barrage was).
    // Processes on PostgreSQL answer slower, so they get the smaller share (their start and restart cost the most).
    private const int SqliteRequests = 5400;
    private const int SqliteFrames = 1300;
    private const int PostgresRequests = 600;
    private const int PostgresFrames = 200;

    /// <summary>Growth of the managed heap over the barrage that fails the test.</summary>
    private const long MaxManagedGrowth = 256L * 1024 * 1024;

    /// <summary>
    /// Growth of the process working set (RSS) over the barrage that fails the test. Generous on purpose: the runtime
    /// keeps freed pages and grows its heaps under parallel load, so only a leak or an unbounded buffer crosses it.
    /// </summary>
    private const long MaxWorkingSetGrowth = 768L * 1024 * 1024;

    private static readonly Dictionary<string, string?> Settings = new() { ["SIGN_PING_SECONDS"] = "5", ["SIGN_UPDATE_INTERVAL_MS"] = "200" };

    [Fact]
    public async Task A_seeded_barrage_gets_no_5xx_crashes_nothing_and_state_survives_a_restart()
    {
        var generator = NewGenerator();
        var dataDirectory = TempDirectory.Create("hostile");
        var keep = new KeptState();

        await using (var server = await EmbeddedServer.StartAsync(Settings, dataDirectory))
        {
            await keep.CreateAsync(server.Http, path => server.ConnectAsync(path), server.WaitForSignAsync);
            var routes = Routes(server.Services);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            var workingSetBefore = Environment.WorkingSet;

            await BarrageAsync(generator, server.Http, path => server.ConnectAsync(path), routes, SqliteRequests, SqliteFrames, keep.UserId);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var managedGrowth = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
            var workingSetGrowth = Environment.WorkingSet - workingSetBefore;
            output.WriteLine($"managed memory grew by {managedGrowth / 1024 / 1024} MiB, the working set by {workingSetGrowth / 1024 / 1024} MiB");
            Assert.True(managedGrowth < MaxManagedGrowth, $"seed {generator.Seed}: managed memory grew by {managedGrowth / 1024 / 1024} MiB during the barrage");
            Assert.True(workingSetGrowth < MaxWorkingSetGrowth, $"seed {generator.Seed}: the working set grew by {workingSetGrowth / 1024 / 1024} MiB during the barrage");
        }

        await using var restarted = await EmbeddedServer.StartAsync(Settings, dataDirectory);
        await keep.AssertIntactAsync(restarted.Http);
    }

    [SkippableFact]
    public async Task On_postgres_state_created_before_a_barrage_reads_back_intact_after_a_restart()
    {
        Skip.If(database.Url is null, PostgresTestDatabase.SkipReason);
        var generator = NewGenerator();
        var cluster = $"hostile-{Guid.NewGuid():N}"[..20];
        var env = new Dictionary<string, string>(ClusterSecurity.Env)
        {
            ["DATABASE_URL"] = database.Url!,
            ["ORLEANS_CLUSTER_ID"] = cluster,
            ["SIGN_PING_SECONDS"] = "5",
            ["SIGN_UPDATE_INTERVAL_MS"] = "200",
        };
        var keep = new KeptState();
        await using (var processes = await PostgresCluster.StartAsync(env))
        {
            var (http, port, token) = (processes.Http, processes.Port, processes.AdminToken);
            Task<WsClient> Connect(string path) => WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{path}"));
            // Secured: signs use their secret, dashboards the admin token, users their session token.
            string Authorize(string path) =>
                path == $"/ws/sign/{keep.SignId}" ? $"{path}?token={keep.SignSecret}"
                : path == "/ws/dashboard" ? $"{path}?access_token={token}"
                : path == $"/ws/{keep.UserId}" ? $"{path}?access_token={ClusterSecurity.UserToken(keep.UserId)}"
                : path;
            await keep.CreateAsync(http, path => Connect(Authorize(path)), (signId, condition) => Eventually.UntilAsync(async () =>
            {
                var response = await http.GetAsync($"/api/signs/{signId}");
                return response.IsSuccessStatusCode && condition(await response.Content.ReadFromJsonAsync<JsonElement>());
            }, () => $"sign {signId}", TimeSpan.FromSeconds(20)));
            var routes = await DocumentedRoutesAsync(http);
            var workingSetBefore = processes.GatewayWorkingSet();

            await BarrageAsync(generator, http, path => Connect(Authorize(path)), routes, PostgresRequests, PostgresFrames, keep.UserId);

            var workingSetGrowth = processes.GatewayWorkingSet() - workingSetBefore;
            output.WriteLine($"the gateway process's working set grew by {workingSetGrowth / 1024 / 1024} MiB");
            Assert.True(workingSetGrowth < MaxWorkingSetGrowth, $"seed {generator.Seed}: the gateway's working set grew by {workingSetGrowth / 1024 / 1024} MiB during the barrage");
        }

        // A restart: new silo and gateway processes on the same database.
        await using var restarted = await PostgresCluster.StartAsync(env);
        await keep.AssertIntactAsync(restarted.Http);
    }

    private HostileGenerator NewGenerator()
    {
        var seed = Environment.GetEnvironmentVariable("HOSTILE_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"hostile-input seed: {seed} (replay with HOSTILE_SEED={seed})");
        return new HostileGenerator(seed);
    }

    /// <summary>
    /// Fires <paramref name="requestCount"/> generated requests over <paramref name="routes"/> and
    /// <paramref name="frameCount"/> generated frames over sign, dashboard and user sockets, then asserts no 5xx (503
    /// only as a problem document), no 1011 close or <c>server_error</c>, and a healthy process.
    /// </summary>
    private async Task BarrageAsync(HostileGenerator generator, HttpClient client, Func<string, Task<WsClient>> connect, IReadOnlyList<Route> routes,
        int requestCount, int frameCount, string userId)
    {
        output.WriteLine($"{routes.Count} HTTP routes under test: {string.Join(", ", routes.Select(r => $"{r.Method} {r.Pattern}"))}");
        Assert.True(routes.Count >= 20, "the gateway's routes were not found");
        var failures = new ConcurrentBag<string>();
        var requests = Enumerable.Range(0, requestCount).Select(_ => BuildRequest(generator, routes)).ToArray();
        var frames = Enumerable.Range(0, frameCount).Select(_ => generator.Frame()).ToArray();
        var socketPaths = Enumerable.Range(0, 30).Select(i => (i % 3) switch
        {
            0 => $"/ws/sign/{Uri.EscapeDataString(i % 2 == 0 ? $"fuzz-{i}" : generator.PathValue())}",
            1 => "/ws/dashboard",
            _ => $"/ws/{Uri.EscapeDataString(i % 2 == 0 ? userId : generator.PathValue())}",
        }).ToArray();
        var clock = Stopwatch.StartNew();

        var http = Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, ct) =>
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
            if (request.Body is not null) message.Content = new StringContent(request.Body, Encoding.UTF8, request.ContentType);
            try
            {
                using var response = await client.SendAsync(message, ct);
                var status = (int)response.StatusCode;
                if (status >= 500 && status != 503 || status == 503 && !(await response.Content.ReadAsStringAsync(ct)).Contains("\"title\""))
                    failures.Add($"{request.Method} {request.Url} body={Cut(request.Body)} -> {status} {Cut(await response.Content.ReadAsStringAsync(ct))}");
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{request.Method} {request.Url} body={Cut(request.Body)} -> connection failed: {e.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{request.Method} {request.Url} body={Cut(request.Body)} -> no answer within {client.Timeout.TotalSeconds} s");
            }
        });
        var sockets = Parallel.ForEachAsync(socketPaths.Select((path, i) => (path, i)), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (socket, ct) =>
        {
            var (path, index) = socket;
            WsClient wsClient;
            try
            {
                wsClient = await connect(path);
            }
            catch (WebSocketException)
            {
                return; // refused at the upgrade (e.g. a path value the router rejects, or no credentials): nothing to flood
            }
            await using (wsClient)
            {
                for (var f = index; f < frames.Length && wsClient.State == WebSocketState.Open; f += socketPaths.Length)
                {
                    try
                    {
                        if (f % 97 == 0) await wsClient.SendBytesAsync(new byte[70 * 1024], WebSocketMessageType.Text);
                        else if (f % 89 == 0) await wsClient.SendBytesAsync([0xC3, 0x28, 0xFF], WebSocketMessageType.Text);
                        else await wsClient.SendTextAsync(frames[f]);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        break; // closed by the server: judged below by its close status
                    }
                }
                if (wsClient.CloseStatus is WebSocketCloseStatus.InternalServerError)
                    failures.Add($"socket {path} closed with 1011 {wsClient.CloseDescription}");
                foreach (var error in wsClient.History.Where(m => m.TryGetProperty("code", out var c) && c.GetString() == "server_error"))
                    failures.Add($"socket {path} got server_error: {error}");
            }
        });
        await Task.WhenAll(http, sockets);
        output.WriteLine($"barrage of {requestCount} requests and {frameCount} frames took {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(failures.IsEmpty, $"seed {generator.Seed}: {failures.Count} failures, e.g.\n{string.Join("\n", failures.Take(15))}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/signs")).StatusCode);
    }

    /// <summary>State a user would notice if it were lost or corrupted, holding strings serializers once mistook for metadata.</summary>
    private sealed class KeptState
    {
        private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
        private readonly string _phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);

        public string SignId => $"keep-{_suffix}";
        private string TemplateId => $"keep-{_suffix}";
        public string SignSecret { get; private set; } = "";
        public string UserId { get; private set; } = "";

        public async Task CreateAsync(HttpClient http, Func<string, Task<WsClient>> connect, Func<string, Func<JsonElement, bool>, Task> waitForSign)
        {
            var sign = await http.PutAsJsonAsync($"/api/signs/{SignId}", new { name = "$type {\"$ref\":\"1\"}", zone = "keep-zone" });
            sign.EnsureSuccessStatusCode();
            SignSecret = (await sign.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("secret", out var secret) ? secret.GetString() ?? "" : "";
            (await http.PostAsJsonAsync("/api/templates", new { id = TemplateId, name = "$values", category = "$id", text = "Exit via {exit} $ref" })).EnsureSuccessStatusCode();
            var register = await http.PostAsJsonAsync("/api/users/register", new { phone = _phone, name = "$id" });
            register.EnsureSuccessStatusCode();
            UserId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            (await http.PutAsJsonAsync("/api/signs/fuzz-1", new { name = "Fuzz", zone = "north" })).EnsureSuccessStatusCode();
            await using var socket = await connect($"/ws/sign/{SignId}");
            await socket.SendTextAsync("{\"type\":\"metrics\",\"data\":{\"$type\":1,\"$ref\":2,\"$values\":3,\"$id\":4}}");
            await waitForSign(SignId, v => v.GetProperty("stats").GetProperty("metrics_reports").GetInt32() == 1);
        }

        public async Task AssertIntactAsync(HttpClient http)
        {
            var keptSign = await http.GetFromJsonAsync<JsonElement>($"/api/signs/{SignId}");
            Assert.Equal("$type {\"$ref\":\"1\"}", keptSign.GetProperty("name").GetString());
            Assert.Equal("keep-zone", keptSign.GetProperty("zone").GetString());
            var metrics = await http.GetFromJsonAsync<JsonElement>($"/api/signs/{SignId}/metrics");
            var values = metrics.GetProperty("samples")[0].GetProperty("values");
            Assert.Equal([1.0, 2.0, 3.0, 4.0], new[] { "$type", "$ref", "$values", "$id" }.Select(n => values.GetProperty(n).GetDouble()));
            var template = await http.GetFromJsonAsync<JsonElement>($"/api/templates/{TemplateId}");
            Assert.Equal(("$values", "$id", "Exit via {exit} $ref"),
                (template.GetProperty("name").GetString(), template.GetProperty("category").GetString(), template.GetProperty("text").GetString()));
            var user = await http.GetFromJsonAsync<JsonElement>($"/api/users/{UserId}");
            Assert.Equal("$id", user.GetProperty("name").GetString());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/signs")).StatusCode);
        }
    }

    /// <summary>A silo process and a gateway process on PostgreSQL, the client signed in as the admin.</summary>
    private sealed class PostgresCluster : IAsyncDisposable
    {
        private AppProcess _silo = null!;
        private AppProcess _gateway = null!;

        public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
        public int Port { get; private set; }
        public string AdminToken { get; private set; } = "";

        public long GatewayWorkingSet()
        {
            using var process = Process.GetProcessById(_gateway.Id);
            return process.WorkingSet64;
        }

        public static async Task<PostgresCluster> StartAsync(IReadOnlyDictionary<string, string> env)
        {
            var cluster = new PostgresCluster { Port = CityArray.Silo.Hosting.FreePort.Find() };
            cluster._silo = AppProcess.Start("Silo", new Dictionary<string, string>(env)
            {
                ["ORLEANS_SILO_PORT"] = CityArray.Silo.Hosting.FreePort.Find().ToString(),
                ["ORLEANS_GATEWAY_PORT"] = CityArray.Silo.Hosting.FreePort.Find().ToString(),
            });
            cluster._gateway = AppProcess.Start("Gateway", new Dictionary<string, string>(env) { ["PORT"] = cluster.Port.ToString(), ["HOST"] = "127.0.0.1" });
            await cluster._gateway.WaitHealthyAsync($"http://127.0.0.1:{cluster.Port}/ready", TimeSpan.FromSeconds(90));
            cluster.Http.BaseAddress = new Uri($"http://127.0.0.1:{cluster.Port}");
            cluster.AdminToken = await ClusterSecurity.SignInAdminAsync(cluster.Http);
            return cluster;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _gateway.DisposeAsync();
            await _silo.DisposeAsync();
        }
    }

    private sealed record Route(string Method, string Pattern);

    private sealed record Request(string Method, string Url, string? Body, string ContentType);

    private static List<Route> Routes(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>().SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (pattern: "/" + e.RoutePattern.RawText?.TrimStart('/'), methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(r => !r.pattern.StartsWith("/ws", StringComparison.Ordinal) && !r.pattern.Contains("{documentName}") && !r.pattern.StartsWith("/docs", StringComparison.Ordinal))
            .SelectMany(r => r.methods.Select(m => new Route(m, r.pattern)))
            .Distinct()
            .ToList();

    /// <summary>
    /// The REST routes a gateway process documents in <c>/openapi.json</c> (its services are out of reach), the Orleans
    /// dashboard's pages included (signed in as the admin), except its <c>Trace</c> page, which streams without end.
    /// </summary>
    private static async Task<List<Route>> DocumentedRoutesAsync(HttpClient http)
    {
        var document = await http.GetFromJsonAsync<JsonElement>("/openapi.json");
        return document.GetProperty("paths").EnumerateObject()
            .Where(path => !path.Name.EndsWith("/Trace", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => op.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(op => new Route(op.Name.ToUpperInvariant(), path.Name)))
            .ToList();
    }

    private static Request BuildRequest(HostileGenerator generator, IReadOnlyList<Route> routes)
    {
        var route = routes[generator.Next(routes.Count)];
        var path = System.Text.RegularExpressions.Regex.Replace(route.Pattern, "\\{[^}]+\\}", _ => Uri.EscapeDataString(generator.PathValue()));
        var query = generator.Next(3) == 0 ? "" : "?" + generator.Query();
        var hasBody = route.Method is "POST" or "PUT" or "PATCH";
        var contentType = generator.Next(10) switch { 0 => "text/plain", 1 => "application/xml", _ => "application/json" };
        return new Request(route.Method, path + query, hasBody ? generator.Body(route.Pattern) : null, contentType);
    }

    private static string Cut(string? text) => text is null ? "(none)" : text.Length > 200 ? text[..200] + "..." : text;
}

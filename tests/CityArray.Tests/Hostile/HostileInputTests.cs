using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CityArray.Tests.Hostile;

/// <summary>
/// The hostile-input barrage: thousands of generated bodies, query strings, path values and socket frames against
/// every endpoint the gateway maps and every socket, asserting no 5xx, no crash, bounded memory, and that state
/// created before the barrage reads back intact after a restart. Seeded: set HOSTILE_SEED to replay a failure.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int HttpRequests = 6000;
    private const int SocketFrames = 1500;

    [Fact]
    public async Task A_seeded_barrage_gets_no_5xx_crashes_nothing_and_state_survives_a_restart()
    {
        var seed = Environment.GetEnvironmentVariable("HOSTILE_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"hostile-input seed: {seed} (replay with HOSTILE_SEED={seed})");
        var generator = new HostileGenerator(seed);
        var dataDirectory = TempDirectory.Create("hostile");
        var settings = new Dictionary<string, string?> { ["SIGN_PING_SECONDS"] = "5", ["SIGN_UPDATE_INTERVAL_MS"] = "200" };
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var signId = $"keep-{suffix}";
        var templateId = $"keep-{suffix}";
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        string userId;

        await using (var server = await EmbeddedServer.StartAsync(settings, dataDirectory))
        {
            // State a user would notice if it were lost or corrupted, holding strings serializers once mistook for metadata.
            (await server.PutJsonAsync($"/api/signs/{signId}", new { name = "$type {\"$ref\":\"1\"}", zone = "keep-zone" })).EnsureSuccessStatusCode();
            (await server.Http.PostAsJsonAsync("/api/templates", new { id = templateId, name = "$values", category = "$id", text = "Exit via {exit} $ref" })).EnsureSuccessStatusCode();
            var register = await server.Http.PostAsJsonAsync("/api/users/register", new { phone, name = "$id" });
            register.EnsureSuccessStatusCode();
            userId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            (await server.PutJsonAsync("/api/signs/fuzz-1", new { name = "Fuzz", zone = "north" })).EnsureSuccessStatusCode();
            await using (var sign = await server.ConnectAsync($"/ws/sign/{signId}"))
            {
                await sign.SendTextAsync("{\"type\":\"metrics\",\"data\":{\"$type\":1,\"$ref\":2,\"$values\":3,\"$id\":4}}");
                await server.WaitForSignAsync(signId, v => v.GetProperty("stats").GetProperty("metrics_reports").GetInt32() == 1);
            }

            var routes = Routes(server.Services);
            output.WriteLine($"{routes.Count} HTTP routes under test: {string.Join(", ", routes.Select(r => $"{r.Method} {r.Pattern}"))}");
            Assert.True(routes.Count >= 20, "the gateway's routes were not found");

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            var failures = new ConcurrentBag<string>();
            var requests = Enumerable.Range(0, HttpRequests).Select(_ => BuildRequest(generator, routes)).ToArray();
            var frames = Enumerable.Range(0, SocketFrames).Select(_ => generator.Frame()).ToArray();
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
                    using var response = await server.Http.SendAsync(message, ct);
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
                    failures.Add($"{request.Method} {request.Url} body={Cut(request.Body)} -> no answer within {server.Http.Timeout.TotalSeconds} s");
                }
            });
            var sockets = Parallel.ForEachAsync(socketPaths.Select((path, i) => (path, i)), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (socket, ct) =>
            {
                var (path, index) = socket;
                WsClient client;
                try
                {
                    client = await server.ConnectAsync(path);
                }
                catch (WebSocketException)
                {
                    return; // refused at the upgrade (e.g. a path value the router rejects): nothing to flood
                }
                await using (client)
                {
                    for (var f = index; f < frames.Length && client.State == WebSocketState.Open; f += socketPaths.Length)
                    {
                        try
                        {
                            if (f % 97 == 0) await client.SendBytesAsync(new byte[70 * 1024], WebSocketMessageType.Text);
                            else if (f % 89 == 0) await client.SendBytesAsync([0xC3, 0x28, 0xFF], WebSocketMessageType.Text);
                            else await client.SendTextAsync(frames[f]);
                        }
                        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                        {
                            break; // closed by the server: judged below by its close status
                        }
                    }
                    if (client.CloseStatus is WebSocketCloseStatus.InternalServerError)
                        failures.Add($"socket {path} closed with 1011 {client.CloseDescription}");
                    foreach (var error in client.History.Where(m => m.TryGetProperty("code", out var c) && c.GetString() == "server_error"))
                        failures.Add($"socket {path} got server_error: {error}");
                }
            });
            await Task.WhenAll(http, sockets);
            output.WriteLine($"barrage of {HttpRequests} requests and {SocketFrames} frames took {clock.Elapsed.TotalSeconds:0.0} s");

            Assert.True(failures.IsEmpty, $"seed {seed}: {failures.Count} failures, e.g.\n{string.Join("\n", failures.Take(15))}");
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/signs")).StatusCode);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
            output.WriteLine($"managed memory grew by {grown / 1024 / 1024} MiB");
            Assert.True(grown < 256L * 1024 * 1024, $"seed {seed}: managed memory grew by {grown / 1024 / 1024} MiB during the barrage");
        }

        await using var restarted = await EmbeddedServer.StartAsync(settings, dataDirectory);
        var keptSign = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/signs/{signId}");
        Assert.Equal("$type {\"$ref\":\"1\"}", keptSign.GetProperty("name").GetString());
        Assert.Equal("keep-zone", keptSign.GetProperty("zone").GetString());
        var metrics = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/signs/{signId}/metrics");
        var values = metrics.GetProperty("samples")[0].GetProperty("values");
        Assert.Equal([1.0, 2.0, 3.0, 4.0], new[] { "$type", "$ref", "$values", "$id" }.Select(n => values.GetProperty(n).GetDouble()));
        var template = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/templates/{templateId}");
        Assert.Equal(("$values", "$id", "Exit via {exit} $ref"),
            (template.GetProperty("name").GetString(), template.GetProperty("category").GetString(), template.GetProperty("text").GetString()));
        var user = await restarted.Http.GetFromJsonAsync<JsonElement>($"/api/users/{userId}");
        Assert.Equal("$id", user.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await restarted.Http.GetAsync("/api/signs")).StatusCode);
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

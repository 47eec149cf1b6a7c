using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Slow sign: N signs receive a stream of messages to all (latency = from the POST to each sign's receipt).
/// Phase A without, phase B with one extra sign that completes the WebSocket handshake with a tiny receive buffer
/// and then never reads. Others' p99 must move by less than 10% and the slow sign must be dropped by the server.
/// </summary>
public static class SlowSignScenario
{
    public sealed record Options
    {
        public int Signs { get; init; } = 50;
        public int MessagesPerPhase { get; init; } = 150;
        public double MessagesPerSecond { get; init; } = 10;
        public int TextLength { get; init; } = 400;
        public TimeSpan DropTimeout { get; init; } = TimeSpan.FromSeconds(60);
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("slow_sign");
        var dir = Directory.CreateTempSubdirectory("cityarray-slow-").FullName;
        await using var gw = ChildProcess.Gateway(dir);
        await gw.StartAsync();
        await using var fleet = new SignFleet();
        await fleet.AddAsync(gw.BaseUri, "steady-", 0, o.Signs, c => c with { HeartbeatInterval = TimeSpan.FromSeconds(20) });
        using var http = new HttpClient { BaseAddress = gw.BaseUri, Timeout = TimeSpan.FromMinutes(1) };
        await Task.Delay(TimeSpan.FromSeconds(2));
        var text = new string('x', o.TextLength);

        var a = await PhaseAsync(http, fleet, text, o.MessagesPerPhase, o);
        log($"slow sign phase A (no slow sign): {a}");

        using var slow = await ConnectNonReadingAsync(gw.BaseUri, "slow-sign-0");
        await WaitConnectedAsync(http, "slow-sign-0", expected: true, TimeSpan.FromSeconds(20));
        var dropClock = Stopwatch.StartNew();
        var b = await PhaseAsync(http, fleet, text, o.MessagesPerPhase, o);
        log($"slow sign phase B (one sign stopped reading): {b}");

        // Keep a stream to the slow sign going (unmeasured, bursts of 8 concurrent posts) until the server drops it: its
        // send queue's cap (1,024 messages) is reached in seconds, not after a minute of trickling.
        var extra = 0;
        var dropped = false;
        while (dropClock.Elapsed < o.DropTimeout)
        {
            if (await IsConnectedAsync(http, "slow-sign-0") == false) { dropped = true; break; }
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                http.PostAsJsonAsync("/api/messages", new { text, sign_ids = new[] { "slow-sign-0" } })));
            extra += 8;
        }

        var change = (b.P99 - a.P99) / Math.Max(a.P99, 0.001);
        report.Add("cityarray, no slow sign", o.Signs, ("p50_ms", a.P50), ("p99_ms", a.P99), ("p999_ms", a.P999), ("deliveries", a.Count));
        report.Add("cityarray, one slow sign", o.Signs, ("p50_ms", b.P50), ("p99_ms", b.P99), ("p999_ms", b.P999), ("deliveries", b.Count),
            ("p99_change_pct", change * 100), ("dropped_after_s", dropped ? dropClock.Elapsed.TotalSeconds : -1));
        var expected = o.MessagesPerPhase * o.Signs;
        report.Check("every steady sign got every message (both phases)", a.Count == expected && b.Count == expected, $"{a.Count} and {b.Count} of {expected}");
        report.Check("the slow sign is dropped", dropped, dropped ? $"after {dropClock.Elapsed.TotalSeconds:0.0} s ({extra} extra messages)" : "still connected");
        report.Target("a slow sign moves others' p99 by < 10%", change * 100, "< 10 %", change < 0.10);
        IngestScenario.TryDelete(dir);
        return report;
    }

    private static async Task<LatencySummary> PhaseAsync(HttpClient http, SignFleet fleet, string text, int count, Options o)
    {
        var sent = new List<(string Id, long At)>();
        var period = TimeSpan.FromSeconds(1 / o.MessagesPerSecond);
        var next = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var at = Stopwatch.GetTimestamp();
            var response = await http.PostAsJsonAsync("/api/messages", new { text, sign_ids = fleet.Clients.Select(c => c.SignId).ToArray() });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.TryGetProperty("message_id", out var id) || body.TryGetProperty("id", out id)) sent.Add((id.GetString()!, at));
            next += (long)(period.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
        await ReconnectStormScenario.WaitAsync(() => sent.All(s => fleet.Clients.All(c => c.ReceivedAt.ContainsKey(s.Id))), TimeSpan.FromSeconds(30));
        var latency = new LatencyRecorder();
        foreach (var (id, at) in sent)
        foreach (var c in fleet.Clients)
            if (c.ReceivedAt.TryGetValue(id, out var ts)) latency.Add(Stopwatch.GetElapsedTime(at, ts).TotalMilliseconds);
        return latency.Summarize();
    }

    private static async Task<bool?> IsConnectedAsync(HttpClient http, string signId)
    {
        var response = await http.GetAsync($"/api/signs/{signId}");
        if (!response.IsSuccessStatusCode) return null;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("connected", out var c) && c.GetBoolean();
    }

    private static Task WaitConnectedAsync(HttpClient http, string signId, bool expected, TimeSpan timeout) =>
        ReconnectStormScenario.WaitAsync(() => IsConnectedAsync(http, signId).GetAwaiter().GetResult() == expected, timeout);

    /// <summary>Opens a sign socket with a 4 KB receive buffer, completes the handshake, and never reads again.</summary>
    private static async Task<Socket> ConnectNonReadingAsync(Uri baseUri, string signId)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(baseUri.Host, baseUri.Port);
        var request = $"GET /ws/sign/{signId} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[1];
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(buffer) == 0) throw new IOException("closed during handshake");
            head.Append((char)buffer[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal)) throw new IOException("handshake refused: " + head);
        return socket;
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Bench.Shared;

namespace CityArray.FanOut;

/// <summary>One target at one fleet size: connect N signs, then a cold and <c>warm</c> warm override rounds (none with <c>connectOnly</c>).</summary>
public static class Bench
{
    /// <summary>The table rows of this target and, for CityArray, a line on the storage work the connect storm caused.</summary>
    public static async Task<(IReadOnlyList<string> Lines, string? Storage)> RunAsync(string target, int n, int warm, bool connectOnly = false)
    {
        var port = FreePort();
        var controlPort = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"fanout-{Guid.NewGuid():N}");
        var self = typeof(Bench).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", target == "raw-hub"
            ? [self, "serve-hub", port.ToString(), controlPort.ToString()]
            : [self, "serve-cityarray", port.ToString(), dataDirectory])
        { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        // The target's own log (warnings and up), kept for reading after a run.
        var logPath = Path.Combine(Path.GetTempPath(), $"fanout-{target}-{n}.log");
        using var log = TextWriter.Synchronized(new StreamWriter(logPath) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) log.WriteLine(line); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            log.WriteLine(line);
            if (line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine(line);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var control = target == "raw-hub" ? new Uri($"http://127.0.0.1:{controlPort}") : baseUri;
        using var http = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromMinutes(2) };
        await WaitReadyAsync(http, target == "raw-hub" ? "/health" : "/ready");
        var lines = new List<string>();
        string? storage = null;
        var clients = new List<SignClient>(n);
        try
        {
            await Task.Delay(1000);
            var before = Resident(process);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var connect = Stopwatch.StartNew();
            var startedAt = DateTimeOffset.UtcNow;
            for (var i = 0; i < n; i++)
            {
                clients.Add(new SignClient(new SignClientOptions
                {
                    BaseUri = baseUri, SignId = $"fan-{i:00000}", HeartbeatInterval = TimeSpan.FromMinutes(10), Ack = true,
                    ReconnectMaxDelay = TimeSpan.FromSeconds(5),
                }));
            }
            // Every sign at once, as after a gateway restart or on the first day of a festival.
            await Task.WhenAll(clients.Select(c => c.StartAsync()));
            await UntilAsync(() => Task.FromResult(clients.All(c => c.IsConnected)), TimeSpan.FromMinutes(3));
            var socketsSeconds = connect.Elapsed.TotalSeconds;
            if (target == "cityarray")
                await UntilAsync(async () => (await ConnectedAsync(http, startedAt)).Count >= n, TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));
            var polledSeconds = connect.Elapsed.TotalSeconds;
            var (online, lastOnline, lastSeen) = target == "cityarray" ? await ConnectedAsync(http, startedAt) : (clients.Count(c => c.IsConnected), null, null);
            // CityArray: when the server took the last sign (its grain's connect time, on this machine's clock), not when a
            // once-a-second poll of the fleet saw it; the raw hub: when the last client saw its socket open (polled every 10 ms).
            var connectSeconds = lastOnline is { } last ? (last - startedAt).TotalSeconds : polledSeconds;
            process.Refresh();
            // The target's own CPU time for the storm (less sensitive to the machine's noise than the wall time).
            var cpuMicrosPerSign = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / n;
            var reconnects = clients.Sum(c => c.ConnectCount) - n;
            Console.WriteLine($"{target}: {online:N0} of {n:N0} signs online after {connectSeconds:0.0} s (every socket open after {socketsSeconds:0.0} s; " +
                              $"{reconnects:N0} reconnects; its CPU {cpuMicrosPerSign:0} µs per sign; " +
                              (lastSeen is { } seen ? $"last heartbeat handled at {(seen - startedAt).TotalSeconds:0.0} s; seen by polling at {polledSeconds:0.0} s; " : "") +
                              $"its log: {logPath})");
            if (target == "cityarray")
            {
                var ops = await CityArray.LoadGen.Infrastructure.DatabaseLoad.SqliteAsync(http.BaseAddress!);
                storage = $"{n:N0} signs connecting, storage work per sign: " + string.Join(", ",
                    new[] { "read", "read_query", "write", "reminder_read", "reminder_write", "commit" }.Select(op => $"{op} {ops.GetValueOrDefault(op) / n:0.00}")) +
                    $" ({ops.GetValueOrDefault("write") + ops.GetValueOrDefault("clear") + ops.GetValueOrDefault("reminder_write"):N0} writes in {ops.GetValueOrDefault("commit"):N0} SQLite commits; " +
                    $"{ops.GetValueOrDefault("read"):N0} grain reads in {ops.GetValueOrDefault("read_query"):N0} queries; {reconnects:N0} sign reconnects)";
                Console.WriteLine(storage);
            }
            await Task.Delay(2000);
            var perSign = (Resident(process) - before) / 1024.0 / n;
            if (connectOnly)
                lines.Add($"| {n:N0} | {target} | {connectSeconds:0.0} | {perSign:0.0} | - | {online / (double)n:0.000} | | | | |");

            for (var round = 0; round <= (connectOnly ? -1 : warm); round++)
            {
                var id = $"round-{round}-{Guid.NewGuid():N}"[..24];
                var start = Stopwatch.GetTimestamp();
                if (target == "raw-hub")
                {
                    (await http.PostAsync($"/broadcast/{id}", null)).EnsureSuccessStatusCode();
                }
                else
                {
                    var response = await http.PostAsJsonAsync("/api/overrides", new { text = "Evacuate via the north gate", all = true });
                    response.EnsureSuccessStatusCode();
                    id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
                }
                await UntilAsync(() => Task.FromResult(clients.All(c => c.ReceivedAt.ContainsKey(id))), TimeSpan.FromSeconds(60));
                var latencies = clients.Where(c => c.ReceivedAt.ContainsKey(id))
                    .Select(c => Stopwatch.GetElapsedTime(start, c.ReceivedAt[id]).TotalMilliseconds).ToArray();
                var summary = LatencySummary.From(latencies);
                var reach = latencies.Length / (double)n;
                var rate = latencies.Length / Math.Max(summary.Max / 1000, 1e-6);
                lines.Add($"| {n:N0} | {target} | {(round == 0 ? connectSeconds.ToString("0.0") : "")} | {(round == 0 ? perSign.ToString("0.0") : "")} | " +
                          $"{(round == 0 ? "cold" : $"warm {round}")} | {reach:0.000} | {summary.P50:0} | {summary.P99:0} | {summary.Max:0} | {rate:N0} |");
                if (target == "cityarray") await http.DeleteAsync($"/api/overrides/{id}");
                await Task.Delay(1500);
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return (lines, storage);
    }

    /// <summary>
    /// How many signs the server shows connected, and when its grains took the last of them. Every sign of the storm is new
    /// (a fresh database), so its <c>registered_at</c> is the moment its grain took its first connection. Not <c>last_seen</c>:
    /// each sign sends a heartbeat as soon as its socket opens, and a heartbeat moves <c>last_seen</c> on; the raw hub's figure
    /// does not wait for anything after the socket opened either. A sign registered before <paramref name="startedAt"/> (not
    /// new) falls back to its <c>last_seen</c>.
    /// </summary>
    private static async Task<(int Count, DateTimeOffset? TakenAt, DateTimeOffset? LastSeen)> ConnectedAsync(HttpClient http, DateTimeOffset startedAt)
    {
        try
        {
            var signs = await http.GetFromJsonAsync<JsonElement>("/api/signs");
            var connected = signs.EnumerateArray().Where(s => s.GetProperty("connected").GetBoolean()).ToArray();
            if (connected.Length == 0) return (0, null, null);
            var lastSeen = connected.Max(s => s.GetProperty("last_seen").GetDateTimeOffset());
            return (connected.Length, connected.Max(s =>
                s.GetProperty("registered_at").GetDateTimeOffset() is var registered && registered >= startedAt
                    ? registered
                    : s.GetProperty("last_seen").GetDateTimeOffset()), lastSeen);
        }
        catch (HttpRequestException) { return (0, null, null); }
        catch (TaskCanceledException) { return (0, null, null); } // a poll that outlasted the client's timeout (a loaded machine): poll again
    }

    private static async Task WaitReadyAsync(HttpClient http, string path)
    {
        await UntilAsync(async () =>
        {
            try { return (await http.GetAsync(path)).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, TimeSpan.FromMinutes(2));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return;
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(10));
        }
    }

    private static long Resident(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

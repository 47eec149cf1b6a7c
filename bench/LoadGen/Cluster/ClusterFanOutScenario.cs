using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// Issue #7's figures on the cluster: N provisioned signs spread over the gateways connect at once (connect time until
/// every socket is open and the fleet shows every sign connected), resident memory per connected sign on each gateway,
/// then an override to <c>all</c> (posted to the first gateway) and its reach and p50/p99/max until every sign has it:
/// the cold round (first override after connecting) and warm rounds. Fleet sizes grow on the same cluster (signs are
/// added). Baseline in the same run: the raw Kestrel hub process (one process, the same clients), broadcasting one
/// frame to every socket.
/// </summary>
public static class ClusterFanOutScenario
{
    public sealed record Options
    {
        public int[] Sizes { get; init; } = [1_000, 5_000, 10_000];
        public int WarmRounds { get; init; } = 3;
        public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);
        public TimeSpan RoundTimeout { get; init; } = TimeSpan.FromSeconds(60);
        public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMinutes(4);
    }

    /// <summary>One round's outcome.</summary>
    private sealed record Round(string Name, double Reach, LatencySummary Latency, double RatePerSecond);

    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, Options o, Action<string> log)
    {
        var report = new ScenarioReport("fanout");
        var prefix = $"fan-{Guid.NewGuid().ToString("N")[..4]}-";
        var clock = Stopwatch.StartNew();
        var secrets = await cluster.ProvisionSignsAsync(prefix, 0, o.Sizes.Max());
        log($"fanout: {secrets.Count} signs provisioned over {cluster.Gateways.Length} gateways in {clock.Elapsed.TotalSeconds:0.0} s (not measured)");

        report.Notes.Add("| signs | target | connect s | memory KB/sign (per gateway) | round | reach | p50 ms | p99 ms | max ms | rate msg/s |");
        report.Notes.Add("|---|---|---|---|---|---|---|---|---|---|");
        await using (var hub = ChildProcess.Hub())
        {
            await hub.StartAsync();
            using var control = LoadDriver.Http(hub.BaseUri, 4);
            await MeasureAsync(report, "raw hub", o, log, prefix,
                place: _ => (hub.BaseUri, null),
                resident: () => [hub.ResidentBytes()],
                gatewayOf: _ => 0,
                allConnected: async n => await control.GetFromJsonAsync<int>("/connected") >= n,
                broadcast: async () =>
                {
                    var id = "round-" + Guid.NewGuid().ToString("N")[..12];
                    (await control.PostAsync($"/broadcast/{id}", null)).EnsureSuccessStatusCode();
                    return id;
                },
                cancel: _ => Task.CompletedTask);
        }

        await MeasureAsync(report, "cityarray", o, log, prefix,
            place: id => (cluster.Gateways[cluster.GatewayIndexFor(Index(id, prefix))], secrets[id]),
            resident: () => Enumerable.Range(0, cluster.Gateways.Length).Select(cluster.GatewayResidentBytes).ToArray(),
            gatewayOf: i => cluster.GatewayIndexFor(i),
            allConnected: async n => await ConnectedAsync(cluster.Admin[0], prefix) >= n,
            broadcast: async () =>
            {
                using var response = await cluster.Admin[0].PostAsJsonAsync("/api/overrides", new { text = "Evacuate via the north gate", all = true });
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"override: {(int)response.StatusCode} {text}");
                return JsonDocument.Parse(text).RootElement.GetProperty("override_id").GetString()!;
            },
            cancel: async id => { using var _ = await cluster.Admin[0].DeleteAsync($"/api/overrides/{id}"); });

        foreach (var row in report.Rows.Where(r => r.System == "cityarray"))
        {
            var baseRow = report.Rows.First(r => r.System == "raw hub" && r.Size == row.Size);
            row.Metrics["warm_rate_ratio_to_baseline"] = Math.Round(row.Metrics["warm_rate_per_s"] / Math.Max(baseRow.Metrics["warm_rate_per_s"], 1e-3), 2);
            row.Metrics["warm_p99_ratio_to_baseline"] = Math.Round(row.Metrics["warm_p99_ms"] / Math.Max(baseRow.Metrics["warm_p99_ms"], 1e-3), 2);
            row.Metrics["cold_p99_ratio_to_baseline"] = Math.Round(row.Metrics["cold_p99_ms"] / Math.Max(baseRow.Metrics["cold_p99_ms"], 1e-3), 2);
            row.Metrics["connect_ratio_to_baseline"] = Math.Round(row.Metrics["connect_s"] / Math.Max(baseRow.Metrics["connect_s"], 1e-3), 2);
        }
        var largest = report.Rows.Where(r => r.System == "cityarray").MaxBy(r => r.Size)!;
        var n = largest.Size;
        report.Target($"{n:0} signs warm: delivery rate >= 0.5x the raw hub's", largest.Metrics["warm_rate_ratio_to_baseline"], ">= 0.5x", largest.Metrics["warm_rate_ratio_to_baseline"] >= 0.5);
        report.Target($"{n:0} signs warm: p99 <= 2x the raw hub's", largest.Metrics["warm_p99_ratio_to_baseline"], "<= 2x", largest.Metrics["warm_p99_ratio_to_baseline"] <= 2);
        report.Target($"{n:0} signs cold: p99 <= 2x the raw hub's first broadcast", largest.Metrics["cold_p99_ratio_to_baseline"], "<= 2x", largest.Metrics["cold_p99_ratio_to_baseline"] <= 2);
        report.Target($"{n:0} new signs connect in <= 2x the raw hub's time", largest.Metrics["connect_ratio_to_baseline"], "<= 2x", largest.Metrics["connect_ratio_to_baseline"] <= 2);
        report.Target($"gateway memory < 30 KB per connected sign at {n:0} (worst gateway)", largest.Metrics["kb_per_sign_worst_gateway"], "< 30 KB", largest.Metrics["kb_per_sign_worst_gateway"] < 30);
        return report;
    }

    private static int Index(string signId, string prefix) => int.Parse(signId[prefix.Length..], CultureInfo.InvariantCulture);

    private static async Task MeasureAsync(ScenarioReport report, string system, Options o, Action<string> log, string prefix,
        Func<string, (Uri BaseUri, string? Token)> place, Func<long[]> resident, Func<int, int> gatewayOf,
        Func<int, Task<bool>> allConnected, Func<Task<string>> broadcast, Func<string, Task> cancel)
    {
        await using var fleet = new SignFleet();
        await Task.Delay(o.Settle);
        var rss0 = resident();
        var connected = 0;
        foreach (var size in o.Sizes.Order())
        {
            // Every new sign at once, as after a gateway restart or on the first day of a festival.
            var connect = Stopwatch.StartNew();
            await fleet.AddAsync(new Uri("http://127.0.0.1"), prefix, connected, size, opt =>
            {
                var (baseUri, token) = place(opt.SignId);
                return opt with { BaseUri = baseUri, Token = token, HeartbeatInterval = TimeSpan.FromMinutes(10), ReconnectMaxDelay = TimeSpan.FromSeconds(5) };
            }, concurrency: 10_000);
            var open = await fleet.WaitAllConnectedAsync(o.ConnectTimeout);
            // Every socket open (for CityArray: each sign's secret checked, before its grain took the connect), then the
            // fleet view showing every sign connected (polled once a second): the figure is the latter.
            var socketsSeconds = connect.Elapsed.TotalSeconds;
            var shown = await UntilAsync(() => allConnected(size), o.ConnectTimeout, TimeSpan.FromSeconds(1));
            var connectSeconds = connect.Elapsed.TotalSeconds;
            report.Check($"{system}: all {size} signs connected", open && shown, $"{fleet.Counters.Open} sockets open, fleet shows all: {shown}");
            var added = size - connected;
            connected = size;
            await Task.Delay(o.Settle);
            var rss = resident();
            var perGateway = Enumerable.Range(0, rss.Length).Select(g =>
            {
                var signs = Enumerable.Range(0, size).Count(i => gatewayOf(i) == g);
                return (rss[g] - rss0[g]) / 1024.0 / Math.Max(1, signs);
            }).ToArray();

            var rounds = new List<Round>();
            for (var round = 0; round <= o.WarmRounds; round++)
            {
                var start = Stopwatch.GetTimestamp();
                var id = await broadcast();
                var all = await UntilAsync(() => Task.FromResult(fleet.Clients.All(c => c.ReceivedAt.ContainsKey(id))), o.RoundTimeout, TimeSpan.FromMilliseconds(10));
                var latencies = fleet.Clients.Where(c => c.ReceivedAt.ContainsKey(id))
                    .Select(c => Stopwatch.GetElapsedTime(start, c.ReceivedAt[id]).TotalMilliseconds).ToArray();
                var summary = LatencySummary.From(latencies);
                var reach = latencies.Length / (double)size;
                var r = new Round(round == 0 ? "cold" : $"warm {round}", reach, summary, latencies.Length / Math.Max(summary.Max / 1000, 1e-6));
                rounds.Add(r);
                report.Check($"{system}: reach 1.0 at {size} signs, {r.Name}", all && reach >= 1.0, $"reach {reach:0.####}");
                report.Notes.Add(FormattableString.Invariant(
                    $"| {size:N0} | {system} | {(round == 0 ? connectSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "")} | {(round == 0 ? string.Join(" / ", perGateway.Select(k => k.ToString("0.0", CultureInfo.InvariantCulture))) : "")} | {r.Name} | {reach:0.000} | {summary.P50:0} | {summary.P99:0} | {summary.Max:0} | {r.RatePerSecond:N0} |"));
                log($"fanout {system} {size} {r.Name}: reach {reach:0.####}, {summary}, {r.RatePerSecond:0} msg/s");
                await cancel(id);
                await Task.Delay(1500);
            }
            var warm = rounds.Skip(1).ToList();
            if (warm.Count == 0) warm = rounds;
            report.Add(system, size,
                ("connect_s", connectSeconds), ("sockets_open_s", socketsSeconds), ("signs_added", added),
                ("kb_per_sign_mean", perGateway.Average()), ("kb_per_sign_worst_gateway", perGateway.Max()),
                ("rss_mb_total", rss.Sum() / 1048576.0),
                ("cold_reach", rounds[0].Reach), ("cold_p50_ms", rounds[0].Latency.P50), ("cold_p99_ms", rounds[0].Latency.P99),
                ("cold_max_ms", rounds[0].Latency.Max), ("cold_rate_per_s", rounds[0].RatePerSecond),
                ("warm_reach_min", warm.Min(w => w.Reach)), ("warm_p50_ms", warm.Average(w => w.Latency.P50)),
                ("warm_p99_ms", warm.Max(w => w.Latency.P99)), ("warm_rate_per_s", warm.Min(w => w.RatePerSecond)),
                ("errors", fleet.Counters.Errors), ("reconnects", Math.Max(0, fleet.Counters.Connects - size)));
            for (var g = 0; g < perGateway.Length && perGateway.Length > 1; g++) report.Rows[^1].Metrics[$"kb_per_sign_gateway_{g + 1}"] = Math.Round(perGateway[g], 3);
            log($"fanout {system} {size}: connected in {connectSeconds:0.0} s (every socket open after {socketsSeconds:0.0} s), {string.Join(" / ", perGateway.Select(k => k.ToString("0.0", CultureInfo.InvariantCulture)))} KB per sign");
        }
    }

    /// <summary>How many signs with this prefix the fleet view shows connected (<c>GET /api/signs</c>, polled once a second).</summary>
    private static async Task<int> ConnectedAsync(HttpClient http, string prefix)
    {
        try
        {
            var signs = await http.GetFromJsonAsync<JsonElement>("/api/signs");
            return signs.EnumerateArray().Count(s => s.GetProperty("id").GetString()!.StartsWith(prefix, StringComparison.Ordinal) && s.GetProperty("connected").GetBoolean());
        }
        catch (Exception) { return 0; }
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try { if (await condition()) return true; } catch (Exception) { }
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(poll);
        }
    }
}

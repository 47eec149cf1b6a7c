using System.Collections.Concurrent;
using System.Diagnostics;
using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// Ingest on the cluster: N provisioned signs spread over the gateways heartbeat at an interval (unchanged readings, as
/// in the embedded scenario) while D dashboards watch, one per gateway in turn (signed in as an operator, so a dashboard
/// sees the signs of the other gateway too, through the cluster); heartbeats/s taken in, reach and heartbeat-to-dashboard
/// latency, each dashboard matching a sign's updates to that sign's heartbeats in order. Baseline in the same run: the
/// raw hub process relaying each heartbeat to its dashboard connections, same clients.
/// </summary>
public static class ClusterIngestScenario
{
    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, IngestScenario.Options o, Action<string> log)
    {
        var report = new ScenarioReport("ingest");
        foreach (var size in o.Sizes)
        {
            var prefix = $"ingest-{Guid.NewGuid().ToString("N")[..4]}-";
            var secrets = await cluster.ProvisionSignsAsync(prefix, 0, size);
            log($"ingest: {size} signs provisioned (not measured)");
            await using (var hub = ChildProcess.Hub(relayPrefix: "dash"))
            {
                await hub.StartAsync();
                var dashboards = Enumerable.Range(0, o.Dashboards).Select(d => new Uri($"ws://{hub.BaseUri.Authority}/ws/sign/dash{d}")).ToArray();
                report.Add("raw hub", size, await MeasureAsync("raw hub", prefix, size, o, _ => (hub.BaseUri, null), dashboards, log));
            }
            var cityDashboards = Enumerable.Range(0, o.Dashboards)
                .Select(d => new Uri($"ws://{cluster.Gateways[cluster.GatewayIndexFor(d)].Authority}/ws/dashboard?access_token={Uri.EscapeDataString(cluster.AdminToken)}"))
                .ToArray();
            report.Add("cityarray", size, await MeasureAsync("cityarray", prefix, size, o,
                id => (cluster.Gateways[cluster.GatewayIndexFor(int.Parse(id[prefix.Length..]))], secrets[id]), cityDashboards, log));
        }

        foreach (var row in report.Rows.Where(r => r.System == "cityarray"))
        {
            report.Check($"reach 1.0 at {row.Size} signs", row.Metrics["reach"] >= 0.999, $"reach {row.Metrics["reach"]:0.####}");
            var baseRow = report.Rows.First(r => r.System == "raw hub" && r.Size == row.Size);
            row.Metrics["p99_ratio_to_baseline"] = Math.Round(row.Metrics["p99_ms"] / Math.Max(baseRow.Metrics["p99_ms"], 0.001), 2);
            row.Metrics["throughput_ratio_to_baseline"] = Math.Round(row.Metrics["delivered_per_s"] / Math.Max(baseRow.Metrics["delivered_per_s"], 0.001), 3);
        }
        var largest = report.Rows.Where(r => r.System == "cityarray").MaxBy(r => r.Size)!;
        report.Target($"heartbeat-to-dashboard p99 < 100 ms at {largest.Size} signs (with reach 1.0)", largest.Metrics["p99_ms"], "< 100 ms",
            largest.Metrics["p99_ms"] < 100 && largest.Metrics["reach"] >= 0.999);
        return report;
    }

    private static async Task<(string, double)[]> MeasureAsync(string system, string prefix, int size, IngestScenario.Options o,
        Func<string, (Uri BaseUri, string? Token)> place, Uri[] dashboardUris, Action<string> log)
    {
        // Per dashboard, per sign: send times of heartbeats that dashboard has not seen yet (FIFO).
        var pending = dashboardUris.Select(_ => new ConcurrentDictionary<string, ConcurrentQueue<long>>()).ToArray();
        var latency = new LatencyRecorder(size * 8);
        long windowStart = long.MaxValue, windowEnd = long.MaxValue, delivered = 0, sentInWindow = 0;
        var dashboards = new List<DashboardClient>();
        for (var d = 0; d < dashboardUris.Length; d++)
        {
            var dash = new DashboardClient();
            var mine = pending[d];
            dash.SignUpdate += (sign, _, ts) =>
            {
                if (!mine.TryGetValue(sign, out var queue) || !queue.TryDequeue(out var sent)) return;
                if (sent < Volatile.Read(ref windowStart) || sent > Volatile.Read(ref windowEnd)) return;
                Interlocked.Increment(ref delivered);
                latency.Add(Stopwatch.GetElapsedTime(sent, ts).TotalMilliseconds);
            };
            dashboards.Add(dash);
        }

        await using var fleet = new SignFleet();
        var attached = false;
        await fleet.AddAsync(new Uri("http://127.0.0.1"), prefix, 0, size, opt =>
            {
                var (baseUri, token) = place(opt.SignId);
                return opt with { BaseUri = baseUri, Token = token, HeartbeatInterval = o.HeartbeatInterval, RecordReceipts = false, SequenceInCrowdCount = false };
            },
            onCreated: c => c.HeartbeatSent += (client, _, ts) =>
            {
                if (!Volatile.Read(ref attached)) return;
                foreach (var p in pending) p.GetOrAdd(client.SignId, _ => new ConcurrentQueue<long>()).Enqueue(ts);
                if (ts >= Volatile.Read(ref windowStart) && ts <= Volatile.Read(ref windowEnd)) Interlocked.Increment(ref sentInWindow);
            });
        // Dashboards attach once the fleet is connected (the connect burst is not what is measured).
        for (var d = 0; d < dashboards.Count; d++) await dashboards[d].ConnectAsync(dashboardUris[d]);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the initial all_signs snapshot and connect events pass first
        Volatile.Write(ref attached, true);
        log($"ingest {system}: {size} signs connected, warming up");
        await Task.Delay(o.Warmup);

        var before = Interlocked.Read(ref fleet.Counters.HeartbeatsSent);
        Volatile.Write(ref windowStart, Stopwatch.GetTimestamp());
        await Task.Delay(o.Window);
        Volatile.Write(ref windowEnd, Stopwatch.GetTimestamp());
        var sent = Interlocked.Read(ref fleet.Counters.HeartbeatsSent) - before;
        await Task.Delay(o.Drain);

        var drops = dashboards.Sum(d => Interlocked.Read(ref d.Drops));
        foreach (var d in dashboards) await d.DisposeAsync();
        var s = latency.Summarize();
        var expected = Math.Max(1, Interlocked.Read(ref sentInWindow) * dashboards.Count);
        var reach = Math.Min(1.0, Interlocked.Read(ref delivered) / (double)expected);
        log($"ingest {system} {size}: {sent / o.Window.TotalSeconds:0} hb/s, reach {reach:0.####}, {s}, errors {fleet.Counters.Errors}, dashboard drops {drops}");
        return
        [
            ("heartbeats_per_s", sent / o.Window.TotalSeconds),
            ("delivered_per_s", Interlocked.Read(ref delivered) / o.Window.TotalSeconds),
            ("reach", reach),
            ("p50_ms", s.P50), ("p99_ms", s.P99), ("p999_ms", s.P999),
            ("errors", fleet.Counters.Errors), ("disconnects", fleet.Counters.Disconnects), ("dashboard_drops", drops),
        ];
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Ingest: N signs heartbeat at an interval while D dashboards watch; measures heartbeats/s taken in, how many
/// reach every dashboard (reach) and heartbeat-to-dashboard latency. Heartbeats carry unchanged readings (a sign
/// whose battery and crowd do not move: written lazily), and each dashboard matches a sign's updates to that
/// sign's heartbeats in order (one <c>sign_update</c> per heartbeat). Baseline: the raw Kestrel hub relaying each
/// heartbeat to its dashboard connections, same clients.
/// </summary>
public static class IngestScenario
{
    public sealed record Options
    {
        public int[] Sizes { get; init; } = [1_000, 5_000, 10_000];
        public int Dashboards { get; init; } = 2;
        public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
        public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(8);
        public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(20);
        public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("ingest");
        foreach (var size in o.Sizes)
        {
            await using (var hub = ChildProcess.Hub(relayPrefix: "dash"))
            {
                await hub.StartAsync();
                var dashboards = Enumerable.Range(0, o.Dashboards).Select(d => new Uri($"ws://{hub.BaseUri.Authority}/ws/sign/dash{d}")).ToArray();
                var r = await MeasureAsync("raw hub", $"ingest-{size}-", size, o, _ => (hub.BaseUri, null), dashboards, log);
                report.Add("raw hub", size, r);
            }
            var dir = Directory.CreateTempSubdirectory("cityarray-ingest-").FullName;
            // The reference sign answers a ping with a heartbeat; one landing within SIGN_UPDATE_INTERVAL_MS of the sign's
            // last update is coalesced by design, so pings would break "one sign_update per heartbeat every 5 s". Off here.
            await using (var gw = ChildProcess.Gateway(dir, new Dictionary<string, string> { ["SIGN_PING_SECONDS"] = "3600" }))
            {
                await gw.StartAsync();
                var dashboards = Enumerable.Range(0, o.Dashboards).Select(_ => new Uri($"ws://{gw.BaseUri.Authority}/ws/dashboard")).ToArray();
                var r = await MeasureAsync("cityarray", $"ingest-{size}-", size, o, _ => (gw.BaseUri, null), dashboards, log);
                report.Add("cityarray", size, r);
            }
            TryDelete(dir);
        }

        Judge(report);
        return report;
    }

    /// <summary>One measured round: signs placed by <paramref name="place"/> (base URI and token per sign id), dashboards on <paramref name="dashboardUris"/>.</summary>
    internal static async Task<(string, double)[]> MeasureAsync(string system, string prefix, int size, Options o,
        Func<string, (Uri BaseUri, string? Token)> place, Uri[] dashboardUris, Action<string> log)
    {
        // Per dashboard, per sign: heartbeats that dashboard has not seen yet (FIFO), with their send time on both clocks.
        // An update covers every heartbeat sent before the server published it (its "timestamp"; the raw hub's relay, which
        // has none, covers what was sent before it arrived): an update for a heartbeat sent before the dashboards attached,
        // arriving late, then covers nothing instead of being matched to a later heartbeat.
        var pending = dashboardUris.Select(_ => new ConcurrentDictionary<string, ConcurrentQueue<(long Ts, DateTimeOffset Wall)>>()).ToArray();
        var latency = new LatencyRecorder(size * 8);
        long windowStart = long.MaxValue, windowEnd = long.MaxValue, delivered = 0, sentInWindow = 0;
        var dashboards = new List<DashboardClient>();
        for (var d = 0; d < dashboardUris.Length; d++)
        {
            var dash = new DashboardClient();
            var mine = pending[d];
            dash.SignUpdate += (sign, _, ts, serverAt) =>
            {
                if (!mine.TryGetValue(sign, out var queue)) return;
                var covers = serverAt ?? DateTimeOffset.UtcNow;
                // One receive loop per dashboard: this handler is its queue's only consumer.
                while (queue.TryPeek(out var heartbeat) && heartbeat.Wall <= covers)
                {
                    queue.TryDequeue(out var _);
                    if (heartbeat.Ts < Volatile.Read(ref windowStart) || heartbeat.Ts > Volatile.Read(ref windowEnd)) continue;
                    Interlocked.Increment(ref delivered);
                    latency.Add(Stopwatch.GetElapsedTime(heartbeat.Ts, ts).TotalMilliseconds);
                }
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
                // Floored to the millisecond, the precision of the server's "timestamp" on the wire: a heartbeat the server
                // stamped within the same millisecond it was sent must still count as covered by its own update.
                var now = DateTimeOffset.UtcNow;
                var wall = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
                foreach (var p in pending) p.GetOrAdd(client.SignId, _ => new ConcurrentQueue<(long, DateTimeOffset)>()).Enqueue((ts, wall));
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

    /// <summary>The invariant (reach 1.0), ratios to the raw hub and the p99 target, on a report with both systems.</summary>
    internal static void Judge(ScenarioReport report)
    {
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
    }

    internal static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

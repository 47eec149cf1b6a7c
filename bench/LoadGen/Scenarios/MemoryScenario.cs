using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Memory: resident bytes of the server process per connected sign, at growing fleet sizes (signs are added to the
/// same server: 1k, then up to 5k, ...). The server runs in its own process; RSS is read from /proc before any sign
/// connects and a few seconds after each size is reached. Baseline: the raw hub process with the same clients.
/// </summary>
public static class MemoryScenario
{
    public sealed record Options
    {
        public int[] Sizes { get; init; } = [1_000, 5_000, 10_000, 15_000];
        public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("memory");
        await using (var hub = ChildProcess.Hub())
        {
            await hub.StartAsync();
            await MeasureAsync(report, "raw hub", hub, o, log);
        }
        var dir = Directory.CreateTempSubdirectory("cityarray-memory-").FullName;
        await using (var gw = ChildProcess.Gateway(dir))
        {
            await gw.StartAsync();
            await MeasureAsync(report, "cityarray", gw, o, log);
        }
        IngestScenario.TryDelete(dir);
        var largest = report.Rows.Where(r => r.System == "cityarray").MaxBy(r => r.Size)!;
        report.Target($"memory per connected sign < 30 KB at {largest.Size} signs", largest.Metrics["kb_per_sign"], "< 30 KB", largest.Metrics["kb_per_sign"] < 30);
        return report;
    }

    private static async Task MeasureAsync(ScenarioReport report, string system, ChildProcess server, Options o, Action<string> log)
    {
        await using var fleet = new SignFleet();
        // One sign first so lazy start-up costs (JIT, first activation, storage) are not charged to the fleet.
        await fleet.AddAsync(server.BaseUri, "mem-", 0, 1, c => c with { HeartbeatInterval = TimeSpan.FromSeconds(60) });
        await Task.Delay(o.Settle);
        var rss0 = server.ResidentBytes();
        var connected = 1;
        foreach (var size in o.Sizes)
        {
            await fleet.AddAsync(server.BaseUri, "mem-", connected, size, c => c with { HeartbeatInterval = TimeSpan.FromSeconds(60) });
            connected = size;
            var all = await fleet.WaitAllConnectedAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(o.Settle);
            var rss = server.ResidentBytes();
            var perSign = (rss - rss0) / 1024.0 / Math.Max(1, size - 1);
            report.Add(system, size, ("rss_mb", rss / 1048576.0), ("kb_per_sign", perSign), ("open", fleet.Counters.Open));
            report.Check($"{system}: all {size} signs connected", all, $"{fleet.Counters.Open} open");
            log($"memory {system} {size}: rss {rss / 1048576.0:0} MB, {perSign:0.0} KB per sign, open {fleet.Counters.Open}");
        }
    }
}

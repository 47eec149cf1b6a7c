using System.Diagnostics;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// The suite's PostgreSQL cluster profile (<c>loadgen suite --cluster</c>): one secured cluster (2 silos, 2 gateways by
/// default) on a fresh database, started through <c>deploy/local-cluster.sh</c>, shared by the scenarios; each scenario
/// provisions what it needs first (not measured) and runs its baseline in the same run.
/// </summary>
public static class ClusterSuite
{
    /// <summary>The scenarios of the cluster profile, in run order.</summary>
    public static readonly string[] Scenarios = ["fanout", "ingest", "claims", "nearby", "reconnect"];

    /// <summary>Sizes of the cluster profile.</summary>
    public sealed record Sizes(
        ClusterFanOutScenario.Options FanOut,
        IngestScenario.Options Ingest,
        ClaimStormScenario.Options Claims,
        NearbyScenario.Options Nearby,
        ReconnectStormScenario.Options Reconnect)
    {
        public static Sizes For(string profile) => profile switch
        {
            "smoke" => new(
                new ClusterFanOutScenario.Options { Sizes = [20], WarmRounds = 1, Settle = TimeSpan.FromSeconds(1), RoundTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(60) },
                new IngestScenario.Options { Sizes = [20], Dashboards = 2, HeartbeatInterval = TimeSpan.FromSeconds(1.5), Warmup = TimeSpan.FromSeconds(1.5), Window = TimeSpan.FromSeconds(3), Drain = TimeSpan.FromSeconds(2.5) },
                new ClaimStormScenario.Options { Claims = 200, Collectibles = 10, Users = 20, Concurrency = 16 },
                new NearbyScenario.Options { Sizes = [300], Queries = 40, Concurrency = 4 },
                new ReconnectStormScenario.Options { Signs = 20, Timeout = TimeSpan.FromSeconds(90) }),
            "quick" => new(
                new ClusterFanOutScenario.Options { Sizes = [1_000, 2_000], WarmRounds = 2 },
                new IngestScenario.Options { Sizes = [500, 2_000], Window = TimeSpan.FromSeconds(10), Warmup = TimeSpan.FromSeconds(6) },
                new ClaimStormScenario.Options { Claims = 5_000, Collectibles = 50, Users = 200 },
                new NearbyScenario.Options { Sizes = [2_000], Queries = 500 },
                new ReconnectStormScenario.Options { Signs = 2_000 }),
            _ => new(
                new ClusterFanOutScenario.Options(),
                new IngestScenario.Options(),
                new ClaimStormScenario.Options { Users = 200 },
                new NearbyScenario.Options { Sizes = [10_000] },
                new ReconnectStormScenario.Options()),
        };

        /// <summary>Command-line overrides: --fanout-sizes, --warm, --ingest-sizes, --claims, --collectibles, --nearby-sizes, --reconnect-signs.</summary>
        public Sizes With(Args a)
        {
            static int[] Ints(string v) => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            var s = this;
            if (a.Get("fanout-sizes") is { } f) s = s with { FanOut = s.FanOut with { Sizes = Ints(f) } };
            if (a.Get("warm") is { } w) s = s with { FanOut = s.FanOut with { WarmRounds = int.Parse(w) } };
            if (a.Get("ingest-sizes") is { } i) s = s with { Ingest = s.Ingest with { Sizes = Ints(i) } };
            if (a.Get("claims") is { } c) s = s with { Claims = s.Claims with { Claims = int.Parse(c) } };
            if (a.Get("collectibles") is { } k) s = s with { Claims = s.Claims with { Collectibles = int.Parse(k) } };
            if (a.Get("nearby-sizes") is { } n) s = s with { Nearby = s.Nearby with { Sizes = Ints(n) } };
            if (a.Get("reconnect-signs") is { } r) s = s with { Reconnect = s.Reconnect with { Signs = int.Parse(r) } };
            return s;
        }
    }

    /// <summary>Starts the cluster, runs <paramref name="only"/> in order and writes the results after each scenario.</summary>
    public static async Task<SuiteSummary> RunAsync(string postgresUrl, Sizes sizes, IReadOnlyList<string> only, string command,
        string? outDir, Action<string> log, int silos = 2, int gateways = 2, string? bin = null)
    {
        var summary = new SuiteSummary { Command = command };
        var clock = Stopwatch.StartNew();
        ClusterTarget cluster;
        try
        {
            cluster = await ClusterTarget.StartAsync(postgresUrl, silos, gateways, log, bin: bin);
        }
        catch (Exception e)
        {
            var failed = new ScenarioReport("cluster");
            failed.Check("cluster started", false, e.GetType().Name + ": " + e.Message);
            summary.Scenarios.Add(failed);
            log($"CLUSTER DID NOT START: {e}");
            summary.DurationSeconds = clock.Elapsed.TotalSeconds;
            if (outDir is not null) SuiteWriter.Write(summary, outDir);
            return summary;
        }
        await using (cluster)
        {
            var started = new ScenarioReport("cluster");
            started.Add($"{silos} silos, {gateways} gateways (PostgreSQL)", silos + gateways, ("start_s", clock.Elapsed.TotalSeconds));
            started.Check("cluster started", true, $"{silos} silos and {gateways} gateways ready, admin signed in");
            summary.Scenarios.Add(started);
            foreach (var name in only)
            {
                log($"== cluster scenario {name}");
                await summary.RunScenarioAsync(name, async () => name switch
                {
                    "fanout" or "memory" => await ClusterFanOutScenario.RunAsync(cluster, sizes.FanOut, log),
                    "ingest" => await ClusterIngestScenario.RunAsync(cluster, sizes.Ingest, log),
                    "claims" => await ClusterClaimsScenario.RunAsync(cluster, sizes.Claims, cluster.DatabaseUrl, log),
                    "nearby" => await ClusterNearbyScenario.RunAsync(cluster, sizes.Nearby, log),
                    "reconnect" => await ClusterReconnectScenario.RunAsync(cluster, sizes.Reconnect, log),
                    _ => throw new ArgumentException($"unknown cluster scenario {name} (cluster scenarios: {string.Join(", ", Scenarios)})"),
                }, log, () => cluster.Logs(15));
                summary.DurationSeconds = clock.Elapsed.TotalSeconds;
                if (outDir is not null) SuiteWriter.Write(summary, outDir);
            }
        }
        summary.DurationSeconds = clock.Elapsed.TotalSeconds;
        if (outDir is not null) SuiteWriter.Write(summary, outDir);
        return summary;
    }
}

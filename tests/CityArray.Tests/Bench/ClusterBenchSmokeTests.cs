using System.Diagnostics;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;
using Xunit.Abstractions;

namespace CityArray.Tests.Bench;

/// <summary>
/// The benchmark suite's PostgreSQL cluster profile at smoke size, end to end as a user runs it
/// (<c>loadgen suite --cluster --profile smoke</c>): a secured 2-silo/2-gateway cluster on a fresh database through
/// deploy/local-cluster.sh, signs provisioned, dashboards signed in, users registered, then every cluster scenario.
/// Checks the invariants (reach 1.0 in every fan-out round and at every dashboard, exactly one winner per collectible on
/// every path, nearby equals brute force) and that loadgen exits 0 with a summary; never the speed.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ClusterBenchSmokeTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Cluster_profile_smoke_run_holds_every_invariant_and_exits_0_with_a_summary()
    {
        var postgres = PostgresTestDatabase.AdminUrl;
        Skip.If(postgres is null, PostgresTestDatabase.SkipReason);
        var outDir = TempDirectory.Create("loadgen-cluster");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CityArray.LoadGen.dll"),
            "suite", "--cluster", "--profile", "smoke", "--out", outDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment[PostgresTestDatabase.UrlVariable] = postgres;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        output.WriteLine(await stdout);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");

        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json"))).RootElement;
        Assert.True(File.Exists(Path.Combine(outDir, "results.md")));
        var scenarios = summary.GetProperty("scenarios").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["claims", "cluster", "fanout", "ingest", "nearby", "reconnect"], scenarios.Keys.Order());
        foreach (var (name, scenario) in scenarios)
        {
            var checks = scenario.GetProperty("checks").EnumerateArray().ToList();
            Assert.True(checks.Count > 0, $"{name} checked nothing");
            Assert.All(checks, c => Assert.True(c.GetProperty("ok").GetBoolean(), $"{name}: {c.GetProperty("name").GetString()} ({c.GetProperty("detail").GetString()})"));
        }

        static IEnumerable<(string System, JsonElement Metrics)> Rows(JsonElement scenario) =>
            scenario.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("system").GetString()!, r.GetProperty("metrics")));

        // Fan-out: the override reached every sign on both gateways, cold and warm, against the raw hub in the same run,
        // and each gateway's memory per sign was measured.
        var fanout = Rows(scenarios["fanout"]).ToList();
        Assert.Contains(fanout, r => r.System == "raw hub");
        var city = fanout.Single(r => r.System == "cityarray").Metrics;
        Assert.Equal(1.0, city.GetProperty("cold_reach").GetDouble());
        Assert.Equal(1.0, city.GetProperty("warm_reach_min").GetDouble());
        Assert.True(city.TryGetProperty("kb_per_sign_gateway_1", out _) && city.TryGetProperty("kb_per_sign_gateway_2", out _), city.ToString());

        // Ingest: every heartbeat in the window reached both dashboards (one per gateway).
        Assert.Equal(1.0, Rows(scenarios["ingest"]).Single(r => r.System == "cityarray").Metrics.GetProperty("reach").GetDouble());

        // Claims: exactly one winner per collectible through the gateways, the cluster client and the SQL baseline.
        var claims = Rows(scenarios["claims"]).ToList();
        Assert.Equal(3, claims.Count);
        Assert.All(claims, r => Assert.Equal(10, r.Metrics.GetProperty("winners").GetDouble()));

        // Nearby: every answer equal to the brute force's.
        Assert.Equal(0, Rows(scenarios["nearby"]).Single(r => r.System == "cityarray cluster").Metrics.GetProperty("mismatches").GetDouble());

        // Reconnect storm: a gateway killed and started again under its signs; every sign came back and got its replay
        // (checked above), and the database's work over the storm was read from PostgreSQL.
        var storm = Rows(scenarios["reconnect"]).Single(r => r.System.StartsWith("cityarray cluster", StringComparison.Ordinal)).Metrics;
        Assert.True(storm.GetProperty("all_replayed_s").GetDouble() > 0, storm.ToString());
        Assert.True(storm.TryGetProperty("pg_xact_commit", out _), storm.ToString());
    }
}

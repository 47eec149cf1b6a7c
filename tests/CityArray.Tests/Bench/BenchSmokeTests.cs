using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CityArray.Bench.Shared;
using CityArray.LoadGen;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;
using CityArray.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CityArray.Tests.Bench;

/// <summary>
/// A short run of every benchmark scenario (the smoke profile: tiny sizes) checking the invariants the benchmarks
/// rely on (reach 1.0, exactly one winner, nearby equals brute force, every sign back after a restart, a slow sign is
/// dropped, loadgen exits 0 with a summary) — never the speed.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    private static readonly Profiles Smoke = Profiles.For("smoke", Environment.GetEnvironmentVariable("CITYARRAY_TEST_POSTGRES_URL"));

    private void Log(string line) => output.WriteLine(line);

    private static void AssertInvariants(ScenarioReport report)
    {
        Assert.NotEmpty(report.Checks);
        var broken = report.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}").ToList();
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public async Task Raw_hub_broadcast_reaches_every_reference_sign_and_they_ack()
    {
        await using var hub = new RawHub();
        await hub.StartAsync();
        var counters = new SignFleetCounters();
        var clients = Enumerable.Range(0, 20)
            .Select(i => new SignClient(new SignClientOptions { BaseUri = hub.BaseUri, SignId = $"s{i}", Counters = counters, HeartbeatInterval = TimeSpan.FromMilliseconds(200) }))
            .ToList();
        try
        {
            foreach (var c in clients) await c.StartAsync();
            Assert.True(await hub.WaitForConnectionsAsync(20, TimeSpan.FromSeconds(10)));
            Assert.Equal(20, await hub.BroadcastAsync(Encoding.UTF8.GetBytes("{\"type\":\"new_message\",\"message_id\":\"m1\",\"text\":\"hi\"}")));
            await Eventually.UntilAsync(() => Task.FromResult(clients.All(c => c.ReceivedAt.ContainsKey("m1")) && hub.AcksReceived >= 20),
                () => $"acks {hub.AcksReceived}, {counters}", TimeSpan.FromSeconds(10));
            await Eventually.UntilAsync(() => Task.FromResult(Interlocked.Read(ref counters.HeartbeatsSent) >= 20), () => counters.ToString(), TimeSpan.FromSeconds(10));

            // A dropped connection comes back by itself.
            clients[0].Abort();
            await Eventually.UntilAsync(() => Task.FromResult(clients[0].ConnectCount >= 2 && clients[0].IsConnected), () => counters.ToString(), TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
        var stats = LatencySummary.From([1, 2, 3, 4, 100]);
        Assert.Equal(3, stats.P50);
        Assert.Equal(100, stats.P99);
    }

    [Fact]
    public async Task Ingest_reaches_every_dashboard() => AssertInvariants(await IngestScenario.RunAsync(Smoke.Ingest, Log));

    [Fact]
    public async Task Claim_storm_has_exactly_one_winner_per_collectible() => AssertInvariants(await ClaimStormScenario.RunAsync(Smoke.Claims, Log));

    [Fact]
    public async Task Nearby_equals_brute_force() => AssertInvariants(await NearbyScenario.RunAsync(Smoke.Nearby, Log));

    [Fact]
    public async Task Memory_scenario_connects_every_sign() => AssertInvariants(await MemoryScenario.RunAsync(Smoke.Memory, Log));

    [Fact]
    public async Task Reconnect_storm_brings_every_sign_back_with_its_replay()
    {
        var report = await ReconnectStormScenario.RunAsync(Smoke.Reconnect, Log);
        AssertInvariants(report);
        // The database load of the storm is reported: the restarted gateway read the signs' state back from SQLite.
        var row = report.Rows.Single(r => r.System == "cityarray");
        Assert.True(row.Metrics["storage_reads"] >= Smoke.Reconnect.Signs, string.Join(", ", row.Metrics.Select(m => $"{m.Key} {m.Value}")));
        Assert.True(row.Metrics.ContainsKey("storage_writes"));
    }

    [Fact]
    public async Task A_slow_sign_is_dropped_and_others_get_everything() => AssertInvariants(await SlowSignScenario.RunAsync(Smoke.Slow, Log));

    [Fact]
    public async Task Loadgen_run_exits_0_with_a_json_summary()
    {
        var json = Path.Combine(TempDirectory.Create("loadgen"), "summary.json");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CityArray.LoadGen.dll"), "run",
            "--signs", "20", "--dashboards", "1", "--users", "3", "--duration", "6", "--heartbeat", "2", "--json", json])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        var run = summary.GetProperty("scenarios")[0];
        Assert.Contains(run.GetProperty("rows").EnumerateArray(), r => r.GetProperty("system").GetString() == "signs"
            && r.GetProperty("metrics").GetProperty("heartbeats_per_s").GetDouble() > 0);
        Assert.All(run.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.GetProperty("detail").GetString()));
    }
}

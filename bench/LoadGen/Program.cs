using System.Diagnostics;
using CityArray.Bench.Shared;
using CityArray.LoadGen;
using CityArray.LoadGen.Cluster;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;
using Spectre.Console;

var command = args.FirstOrDefault() ?? "help";
var opts = Args.Parse(args.Skip(1));
switch (command)
{
    case "hub":
        await RunHubAsync(opts);
        return 0;
    case "run":
        return await RunLoadAsync(opts, args);
    case "suite":
        return await RunSuiteAsync(opts, args);
    default:
        Console.WriteLine("""
            CityArray load generator and benchmark suite.
              loadgen run   [--url http://host:8000] [--signs 1000] [--dashboards 1] [--users 50] [--duration 30]
                            [--heartbeat 5] [--processes auto] [--json summary.json]
                  Simulated signs, dashboards and mobile users against a URL (an embedded server when no --url);
                  live progress, JSON summary. Spreads signs over child processes past 18,000 sockets per process.
              loadgen suite [--profile smoke|quick|full] [--only ingest,claims,nearby,memory,reconnect,slow]
                            [--out bench/results] [--postgres postgresql://...] [--memory-sizes 2000,5000]
                            [--ingest-sizes 1000,5000]
                  Every scenario against its baseline in the same run; writes summary.json, results.md, *.svg.
              loadgen suite --cluster [--profile smoke|quick|full] [--only fanout,ingest,claims,nearby,reconnect] [--postgres postgresql://...]
                            [--fanout-sizes 2000] [--warm 3] [--ingest-sizes 2000] [--claims 10000] [--collectibles 100]
                            [--nearby-sizes 2000] [--reconnect-signs 10000] [--silos 2] [--gateways 2] [--out bench/results/cluster-<profile>]
                  The same scenarios on a secured PostgreSQL cluster started through deploy/local-cluster.sh (a fresh
                  database per run; signs provisioned, users registered and dashboards signed in before measuring).
              loadgen hub   --port N [--relay dash]
                  The raw Kestrel WebSocket hub baseline.
            """);
        return command == "help" ? 0 : 2;
}

static async Task RunHubAsync(Args a)
{
    await using var hub = new RawHub { RelayPrefix = a.Get("relay") };
    await hub.StartAsync(a.Int("port", 0));
    Console.WriteLine($"hub listening on {hub.BaseUri}");
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => done.TrySetResult();
    await done.Task;
}

static async Task<int> RunLoadAsync(Args a, string[] raw)
{
    var options = new MixedLoad.Options
    {
        Signs = a.Int("signs", 1000),
        SignOffset = a.Int("sign-offset", 0),
        Dashboards = a.Int("dashboards", 1),
        Users = a.Int("users", 50),
        Duration = TimeSpan.FromSeconds(a.Double("duration", 30)),
        HeartbeatInterval = TimeSpan.FromSeconds(a.Double("heartbeat", 5)),
        Prefix = a.Get("prefix") ?? "load-",
    };
    var json = a.Get("json");
    const int perProcess = 18_000;
    var processes = a.Get("processes") is { } p && p != "auto" ? int.Parse(p) : (options.Signs + options.Users + options.Dashboards + perProcess - 1) / perProcess;
    var child = a.Has("child");

    EmbeddedTarget? embedded = null;
    Uri url;
    if (a.Get("url") is { } u) url = new Uri(u);
    else
    {
        embedded = await EmbeddedTarget.StartAsync();
        url = embedded.BaseUri;
    }

    try
    {
        if (processes > 1 && !child) return await RunChildrenAsync(url, options, processes, json, raw);

        var progress = new MixedLoad.Progress();
        var clock = Stopwatch.StartNew();
        var run = MixedLoad.RunAsync(url, options, progress);
        if (child || Console.IsOutputRedirected)
        {
            while (!run.IsCompleted) { await Task.WhenAny(run, Task.Delay(5000)); if (!child) Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {progress.Phase} {progress.Signs}"); }
        }
        else
        {
            await AnsiConsole.Live(new Table()).StartAsync(async ctx =>
            {
                while (!run.IsCompleted)
                {
                    var t = new Table().Title($"CityArray load: {url}").AddColumn("what").AddColumn("value");
                    t.AddRow("phase", progress.Phase);
                    t.AddRow("elapsed", clock.Elapsed.ToString(@"mm\:ss"));
                    t.AddRow("signs open", $"{progress.Signs.Open} / {options.Signs}");
                    t.AddRow("heartbeats sent", progress.Signs.HeartbeatsSent.ToString());
                    t.AddRow("messages received / acks", $"{progress.Signs.MessagesReceived} / {progress.Signs.AcksSent}");
                    t.AddRow("reconnects", (progress.Signs.Connects - Math.Min(progress.Signs.Connects, options.Signs)).ToString());
                    t.AddRow("dashboard updates", progress.DashboardUpdates.ToString());
                    t.AddRow("user requests / replies / errors", $"{progress.UserRequests} / {progress.UserReplies} / {progress.UserErrors}");
                    ctx.UpdateTarget(t);
                    await Task.WhenAny(run, Task.Delay(500));
                }
            });
        }
        var report = await run;
        var summary = new SuiteSummary { Command = "loadgen " + string.Join(' ', raw.Skip(1)) };
        summary.DurationSeconds = clock.Elapsed.TotalSeconds;
        summary.Scenarios.Add(report);
        var text = summary.ToJson();
        if (json is not null) await File.WriteAllTextAsync(json, text);
        if (!child) Console.WriteLine(text);
        return report.InvariantsHold ? 0 : 1;
    }
    finally
    {
        if (embedded is not null) await embedded.DisposeAsync();
    }
}

static async Task<int> RunChildrenAsync(Uri url, MixedLoad.Options o, int processes, string? json, string[] raw)
{
    Console.WriteLine($"spreading {o.Signs} signs over {processes} processes");
    var per = (o.Signs + processes - 1) / processes;
    var dir = Directory.CreateTempSubdirectory("loadgen-children-").FullName;
    var children = Enumerable.Range(0, processes).Select(i =>
    {
        var from = o.SignOffset + i * per;
        var count = Math.Max(0, Math.Min(per, o.SignOffset + o.Signs - from));
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "CityArray.LoadGen.dll"), "run", "--child",
            "--url", url.ToString(), "--signs", count.ToString(), "--sign-offset", from.ToString(),
            "--dashboards", (i == 0 ? o.Dashboards : 0).ToString(), "--users", (i == 0 ? o.Users : 0).ToString(),
            "--duration", o.Duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--heartbeat", o.HeartbeatInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--prefix", o.Prefix, "--json", Path.Combine(dir, $"child{i}.json")]) { UseShellExecute = false };
        return Process.Start(info)!;
    }).ToList();
    foreach (var c in children) await c.WaitForExitAsync();
    var merged = new SuiteSummary { Command = "loadgen " + string.Join(' ', raw.Skip(1)) };
    foreach (var f in Directory.GetFiles(dir, "child*.json").Order())
    {
        var s = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(await File.ReadAllTextAsync(f));
        var report = new ScenarioReport($"run ({Path.GetFileNameWithoutExtension(f)})");
        foreach (var sc in s.GetProperty("scenarios").EnumerateArray())
        {
            foreach (var r in sc.GetProperty("rows").EnumerateArray())
                report.Add(r.GetProperty("system").GetString()!, r.GetProperty("size").GetDouble(),
                    r.GetProperty("metrics").EnumerateObject().Select(m => (m.Name, m.Value.GetDouble())).ToArray());
            foreach (var c in sc.GetProperty("checks").EnumerateArray())
                report.Check(c.GetProperty("name").GetString()!, c.GetProperty("ok").GetBoolean(), c.GetProperty("detail").GetString()!);
        }
        merged.Scenarios.Add(report);
    }
    var text = merged.ToJson();
    if (json is not null) await File.WriteAllTextAsync(json, text);
    Console.WriteLine(text);
    return children.All(c => c.ExitCode == 0) && merged.Scenarios.Count == processes && merged.InvariantsHold ? 0 : 1;
}

static async Task<int> RunSuiteAsync(Args a, string[] raw)
{
    if (a.Has("cluster")) return await RunClusterSuiteAsync(a, raw);
    var profile = a.Get("profile") ?? "full";
    var only = (a.Get("only") ?? "ingest,claims,nearby,memory,reconnect,slow").Split(',', StringSplitOptions.RemoveEmptyEntries);
    var outDir = a.Get("out") ?? Path.Combine("bench", "results", profile);
    var postgres = a.Get("postgres") ?? Environment.GetEnvironmentVariable("CITYARRAY_TEST_POSTGRES_URL");
    var summary = new SuiteSummary { Command = "loadgen " + string.Join(' ', raw) };
    var clock = Stopwatch.StartNew();
    void Log(string line) => Console.WriteLine($"{clock.Elapsed:mm\\:ss} {line}");
    var sizes = Profiles.For(profile, postgres);
    // --memory-sizes 2000,5000: the memory scenario at other fleet sizes (a quick before/after of a gateway change).
    if (a.Get("memory-sizes") is { } memorySizes)
        sizes = sizes with { Memory = sizes.Memory with { Sizes = memorySizes.Split(',').Select(int.Parse).ToArray() } };
    // --nearby-sizes 10000,100000: the nearby scenario at other index sizes.
    if (a.Get("nearby-sizes") is { } nearbySizes)
        sizes = sizes with { Nearby = sizes.Nearby with { Sizes = nearbySizes.Split(',').Select(int.Parse).ToArray() } };
    // --ingest-sizes 1000,5000: the ingest scenario at other fleet sizes.
    if (a.Get("ingest-sizes") is { } ingestSizes)
        sizes = sizes with { Ingest = sizes.Ingest with { Sizes = ingestSizes.Split(',').Select(int.Parse).ToArray() } };

    foreach (var name in only)
    {
        Log($"== scenario {name}");
        await summary.RunScenarioAsync(name, async () => name switch
        {
            "ingest" => await IngestScenario.RunAsync(sizes.Ingest, Log),
            "claims" => await ClaimStormScenario.RunAsync(sizes.Claims, Log),
            "nearby" => await NearbyScenario.RunAsync(sizes.Nearby, Log),
            "memory" => await MemoryScenario.RunAsync(sizes.Memory, Log),
            "reconnect" => await ReconnectStormScenario.RunAsync(sizes.Reconnect, Log),
            "slow" => await SlowSignScenario.RunAsync(sizes.Slow, Log),
            _ => throw new ArgumentException($"unknown scenario {name}"),
        }, Log);
        summary.DurationSeconds = clock.Elapsed.TotalSeconds;
        SuiteWriter.Write(summary, outDir);
    }
    Log($"done in {clock.Elapsed.TotalMinutes:0.0} min; results in {outDir}");
    return summary.InvariantsHold ? 0 : 1;
}

static async Task<int> RunClusterSuiteAsync(Args a, string[] raw)
{
    var profile = a.Get("profile") ?? "full";
    var outDir = a.Get("out") ?? Path.Combine("bench", "results", $"cluster-{profile}");
    var postgres = a.Get("postgres") ?? Environment.GetEnvironmentVariable("CITYARRAY_TEST_POSTGRES_URL");
    if (string.IsNullOrWhiteSpace(postgres))
    {
        Console.Error.WriteLine("the cluster profile needs PostgreSQL: --postgres postgresql://user:pass@host:port/db or CITYARRAY_TEST_POSTGRES_URL (source .ci/pg-start.sh); a fresh database is created on that server per run");
        return 2;
    }
    var only = (a.Get("only") ?? string.Join(',', ClusterSuite.Scenarios)).Split(',', StringSplitOptions.RemoveEmptyEntries);
    var clock = Stopwatch.StartNew();
    void Log(string line) => Console.WriteLine($"{clock.Elapsed:mm\\:ss} {line}");
    var summary = await ClusterSuite.RunAsync(postgres, ClusterSuite.Sizes.For(profile).With(a), only, "loadgen " + string.Join(' ', raw), outDir, Log,
        silos: a.Int("silos", 2), gateways: a.Int("gateways", 2), bin: a.Get("bin"));
    Log($"done in {clock.Elapsed.TotalMinutes:0.0} min; results in {outDir}");
    return summary.InvariantsHold ? 0 : 1;
}

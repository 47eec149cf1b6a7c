using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Bench.Shared;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Reconnect storm: N signs are connected; a message to all is delivered (signs do not ack it, so every reconnect
/// replays it); the server process is killed and started again on the same port and data. Measures the time from the
/// restart until every sign is connected again and has received its replay. Baseline: the raw hub killed and
/// restarted under the same clients (reconnect only: it has nothing to replay). The database load of the storm is
/// reported too: the restarted gateway's storage operations (SQLite, from its <c>/metrics</c>, all counted since the
/// restart), and, with a PostgreSQL URL, a second CityArray run on PostgreSQL with the <c>pg_stat_database</c> deltas
/// from the kill until every replay arrived (commits and rows read/written).
/// </summary>
public static class ReconnectStormScenario
{
    public sealed record Options
    {
        public int Signs { get; init; } = 10_000;
        public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(4);

        /// <summary>PostgreSQL (postgresql://...) for a second CityArray run on PostgreSQL; none skips it.</summary>
        public string? PostgresUrl { get; init; }
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("reconnect");
        await using (var hub = ChildProcess.Hub())
        {
            await hub.StartAsync();
            await MeasureAsync(report, "raw hub", hub, replay: false, o, log);
        }
        var dir = Directory.CreateTempSubdirectory("cityarray-reconnect-").FullName;
        await using (var gw = ChildProcess.Gateway(dir))
        {
            await gw.StartAsync();
            await MeasureAsync(report, "cityarray", gw, replay: true, o, log);
        }
        IngestScenario.TryDelete(dir);
        if (o.PostgresUrl is { Length: > 0 } pg)
        {
            // Its own service id: the storm's rows never mix with anything else in that database.
            var service = $"reconnect-{Guid.NewGuid():N}"[..24];
            var pgDir = Directory.CreateTempSubdirectory("cityarray-reconnect-pg-").FullName;
            try
            {
                await using var gw = ChildProcess.Gateway(pgDir, new Dictionary<string, string>
                {
                    ["DATABASE_URL"] = pg, ["ORLEANS_SERVICE_ID"] = service, ["ORLEANS_CLUSTER_ID"] = service,
                });
                await gw.StartAsync(timeout: TimeSpan.FromSeconds(90));
                await MeasureAsync(report, "cityarray (postgres)", gw, replay: true, o, log, pg);
            }
            catch (InvalidOperationException e)
            {
                // A gateway on PostgreSQL is a cluster, and a cluster refuses to start unsecured; this scenario's fleet does
                // not provision its signs (the cluster profile's fan-out does). The SQLite figures above still stand.
                var note = $"PostgreSQL variant not measured: {e.Message.Split('\n').Skip(1).FirstOrDefault(l => l.Length > 0) ?? e.Message}";
                report.Notes.Add(note);
                log($"reconnect: {note}");
            }
            IngestScenario.TryDelete(pgDir);
        }
        return report;
    }

    private static Task MeasureAsync(ScenarioReport report, string system, ChildProcess server, bool replay, Options o, Action<string> log,
        string? postgres = null) =>
        MeasureAsync(report, system, new Target(server.BaseUri, server.KillAsync, () => server.StartAsync()), replay, o, log, postgres);

    /// <summary>
    /// What a storm restarts: the signs connect to <paramref name="BaseUri"/> (with <paramref name="Configure"/>'s token);
    /// <paramref name="Api"/> posts the message (the admin's client on a secured cluster).
    /// </summary>
    internal sealed record Target(Uri BaseUri, Func<Task> KillAsync, Func<Task> StartAsync, HttpClient? Api = null,
        Func<SignClientOptions, SignClientOptions>? Configure = null, string Prefix = "storm-");

    internal static async Task MeasureAsync(ScenarioReport report, string system, Target server, bool replay, Options o, Action<string> log,
        string? postgres = null)
    {
        await using var fleet = new SignFleet();
        string? messageId = null;
        var replayed = new HashSet<string>();
        var replayGate = new object();
        await fleet.AddAsync(server.BaseUri, server.Prefix, 0, o.Signs,
            c => (server.Configure ?? (x => x))(c with { HeartbeatInterval = TimeSpan.FromSeconds(30), Ack = false, ReconnectMinDelay = TimeSpan.FromMilliseconds(200), ReconnectMaxDelay = TimeSpan.FromSeconds(5) }),
            onCreated: client => client.Received += m =>
            {
                if (messageId is not null && m.Id == messageId && client.ConnectCount > 1)
                    lock (replayGate) replayed.Add(m.SignId);
            });
        await fleet.WaitAllConnectedAsync(TimeSpan.FromSeconds(60));

        if (replay)
        {
            // Wait until the server counts them all as connected, then one message to all.
            using var own = server.Api is null ? new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(2) } : null;
            var http = server.Api ?? own!;
            await Task.Delay(TimeSpan.FromSeconds(3));
            var response = await http.PostAsJsonAsync("/api/messages", new { text = "Reconnect storm", all = true });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            messageId = body.TryGetProperty("message_id", out var id) ? id.GetString() : body.TryGetProperty("id", out var id2) ? id2.GetString() : null;
            var delivered = await WaitAsync(() => messageId is not null && fleet.Clients.All(c => c.ReceivedAt.ContainsKey(messageId)), TimeSpan.FromSeconds(60));
            report.Check($"{system}: the message reached every sign before the restart", delivered,
                $"{fleet.Clients.Count(c => messageId is not null && c.ReceivedAt.ContainsKey(messageId))} of {o.Signs} (status {(int)response.StatusCode})");
        }

        var connectsBefore = fleet.Counters.Connects;
        var pgBefore = postgres is null ? null : await DatabaseLoad.PostgresAsync(postgres);
        await server.KillAsync();
        await WaitAsync(() => fleet.Clients.All(c => !c.IsConnected), TimeSpan.FromSeconds(30));
        var restart = Stopwatch.StartNew();
        await server.StartAsync();
        var started = restart.Elapsed;
        var back = await WaitAsync(() => fleet.Clients.All(c => c.IsConnected), o.Timeout);
        var allBack = restart.Elapsed;
        var replays = !replay || await WaitAsync(() => { lock (replayGate) return replayed.Count >= o.Signs; }, o.Timeout);
        var allReplayed = restart.Elapsed;
        int replayCount;
        lock (replayGate) replayCount = replayed.Count;

        // The database load of the storm: what the restarted process did (SQLite counters on /metrics start with it), or
        // what the database did from the kill until the last replay (PostgreSQL; includes its own background work).
        var load = new List<(string, double)>();
        if (postgres is not null)
        {
            var delta = DatabaseLoad.Delta(pgBefore!, await DatabaseLoad.PostgresAsync(postgres));
            foreach (var (name, value) in delta) load.Add(($"pg_{name}", value));
        }
        else if (replay)
        {
            var ops = await DatabaseLoad.SqliteAsync(server.BaseUri);
            foreach (var op in new[] { "read", "write", "clear", "reminder_read", "reminder_write" }) load.Add(($"storage_{op}s", ops.GetValueOrDefault(op)));
        }
        report.Add(system, o.Signs, [("process_start_s", started.TotalSeconds), ("all_reconnected_s", allBack.TotalSeconds),
            ("all_replayed_s", replay ? allReplayed.TotalSeconds : 0), ("reconnect_attempts", fleet.Counters.Connects - connectsBefore + fleet.Counters.ConnectFailures),
            .. load]);
        if (load.Count > 0) log($"reconnect {system} {o.Signs}: database load {string.Join(", ", load.Select(l => $"{l.Item1} {l.Item2:0}"))}");
        report.Check($"{system}: every sign back online", back, $"{fleet.Counters.Open} of {o.Signs} open after {allBack.TotalSeconds:0.0} s");
        if (replay) report.Check($"{system}: every sign got its replay", replays, $"{replayCount} of {o.Signs}");
        log($"reconnect {system} {o.Signs}: process up {started.TotalSeconds:0.0} s, all back {allBack.TotalSeconds:0.0} s, replays {replayCount} at {allReplayed.TotalSeconds:0.0} s");
    }

    internal static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }
}

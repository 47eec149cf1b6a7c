using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Claim storm: <c>claims</c> concurrent claims over <c>collectibles</c> collectibles (each claimed by
/// claims/collectibles different users); exactly one winner per collectible. The same HTTP driver (same
/// concurrency, same loopback path) runs against CityArray's <c>POST /api/collectibles/claim</c> and against a
/// minimal Kestrel endpoint doing <c>UPDATE ... SET claimed_by=$u WHERE id=$c AND claimed_by IS NULL</c> on
/// PostgreSQL; a third run calls the collectible grains in-process (no HTTP) for the grain path's ceiling.
/// </summary>
public static class ClaimStormScenario
{
    public sealed record Options
    {
        public int Claims { get; init; } = 10_000;
        public int Collectibles { get; init; } = 100;
        public int Users { get; init; } = 1_000;
        public int Concurrency { get; init; } = 64;
        /// <summary>PostgreSQL for the SQL baseline (postgresql://...); none skips it.</summary>
        public string? PostgresUrl { get; init; }
        /// <summary>
        /// Untimed claims against each system first, on collectibles (rows) of their own, so every system is measured in
        /// its steady state (JIT tiering, pools), not its start-up.
        /// </summary>
        public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
        /// <summary>
        /// How many storms each system is measured on, one after the other, each on fresh collectibles (rows) with exactly
        /// one winner each: one storm of 10,000 claims lasts a fraction of a second, too short to measure once on a noisy
        /// machine. The rate is all storms' claims over their summed time; each storm's rate is shown too.
        /// </summary>
        public int Rounds { get; init; } = 3;
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("claims");
        var perCollectible = o.Claims / o.Collectibles;
        if (perCollectible > o.Users) throw new ArgumentException("need at least claims/collectibles users");

        await using var target = await EmbeddedTarget.StartAsync();
        var users = await SeedUsersAsync(target.Grains, o.Users);
        log($"claims: {users.Length} users registered");

        // Claim i goes to collectible i / perCollectible by user (i % perCollectible + offset) — distinct users per collectible.
        string UserFor(int i) => users[(i % perCollectible + i / perCollectible) % users.Length];

        // 1. CityArray over HTTP.
        var measured = o.Collectibles * o.Rounds; // the collectibles of the measured storms: each round claims its own
        string Target(string[] ids, int round, int i) => ids[round * o.Collectibles + i / perCollectible % o.Collectibles];
        var restIds = await SeedCollectiblesAsync(target.Grains, measured, "rest");
        var restWarm = await SeedCollectiblesAsync(target.Grains, o.Collectibles, "rest-warm");
        var restWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        using (var http = LoadDriver.Http(target.BaseUri))
        {
            await http.GetAsync("/health");
            await WarmUpAsync(o, restWarm, UserFor, (c, u) => ClaimOverHttpAsync(http, $"/api/collectibles/claim?collectible_id={c}&user_id={u}"), log);
            var r = await LoadDriver.RunRoundsAsync(o.Rounds, o.Claims, o.Concurrency, async (round, i) =>
            {
                var c = Target(restIds, round, i);
                var u = UserFor(i);
                if (await ClaimOverHttpAsync(http, $"/api/collectibles/claim?collectible_id={c}&user_id={u}") is not { } won) return false;
                if (won) restWins.GetOrAdd(c, _ => []).Add(u);
                return true;
            });
            Record(report, "cityarray (REST)", r, restWins, measured, log);
        }

        // 2. The in-process grain-call baseline (no HTTP).
        var grainIds = await SeedCollectiblesAsync(target.Grains, measured, "grain");
        var grainWarm = await SeedCollectiblesAsync(target.Grains, o.Collectibles, "grain-warm");
        var grainWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        await WarmUpAsync(o, grainWarm, UserFor, async (c, u) => (await target.Grains.GetGrain<ICollectibleGrain>(c).ClaimAsync(u)).Success, log);
        var g = await LoadDriver.RunRoundsAsync(o.Rounds, o.Claims, o.Concurrency, async (round, i) =>
        {
            var c = Target(grainIds, round, i);
            var u = UserFor(i);
            var result = await target.Grains.GetGrain<ICollectibleGrain>(c).ClaimAsync(u);
            if (result.Success) grainWins.GetOrAdd(c, _ => []).Add(u);
            return true;
        });
        Record(report, "grain call (in-process)", g, grainWins, measured, log);

        // 3. The SQL baseline behind a minimal HTTP endpoint.
        if (o.PostgresUrl is { Length: > 0 } pg)
        {
            var sqlWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
            await using var sql = await SqlClaimServer.StartAsync(pg, measured);
            using var http = LoadDriver.Http(sql.BaseUri);
            await http.GetAsync("/health");
            await WarmUpAsync(o, sql.WarmIds, UserFor, (c, u) => ClaimOverHttpAsync(http, $"/claim?collectible_id={c}&user_id={u}"), log);
            var r = await LoadDriver.RunRoundsAsync(o.Rounds, o.Claims, o.Concurrency, async (round, i) =>
            {
                var c = Target(sql.Ids, round, i);
                var u = UserFor(i);
                if (await ClaimOverHttpAsync(http, $"/claim?collectible_id={c}&user_id={u}") is not { } won) return false;
                if (won) sqlWins.GetOrAdd(c, _ => []).Add(u);
                return true;
            });
            Record(report, "sql baseline (HTTP + PostgreSQL)", r, sqlWins, measured, log);
        }
        else
        {
            report.Notes.Add("SQL baseline skipped: no PostgreSQL URL (set CITYARRAY_TEST_POSTGRES_URL or --postgres).");
        }

        // 4. The floor of this path: the same requests to a minimal endpoint that does no work at all. No system that answers
        //    over HTTP through this driver on these cores can pass it, which bounds any ratio to the SQL baseline.
        await using (var floor = await FloorServer.StartAsync())
        {
            using var http = LoadDriver.Http(floor.BaseUri);
            await WarmUpAsync(o, ["w"], UserFor, (c, u) => ClaimOverHttpAsync(http, $"/claim?collectible_id={c}&user_id={u}"), log);
            var r = await LoadDriver.RunRoundsAsync(o.Rounds, o.Claims, o.Concurrency, async (_, i) =>
                await ClaimOverHttpAsync(http, $"/claim?collectible_id=c&user_id={UserFor(i)}") is not null);
            report.Add("http floor (constant answer)", r.Count, ("claims_per_s", r.PerSecond), ("p50_ms", r.Latency.P50), ("p99_ms", r.Latency.P99),
                ("p999_ms", r.Latency.P999), ("errors", r.Failures));
            log($"claims http floor (constant answer, no work): {r.PerSecond:0}/s{Rounds(r)}, {r.Latency}, errors {r.Failures}");
        }

        var rest = report.Rows.First(r => r.System == "cityarray (REST)");
        if (report.Rows.FirstOrDefault(r => r.System.StartsWith("sql", StringComparison.Ordinal)) is { } sqlRow)
        {
            var ratio = rest.Metrics["claims_per_s"] / Math.Max(1, sqlRow.Metrics["claims_per_s"]);
            rest.Metrics["ratio_to_sql_baseline"] = Math.Round(ratio, 2);
            report.Target("claims/s >= 3x the same-path SQL baseline", ratio, ">= 3.0x", ratio >= 3);
            var floorRow = report.Rows.First(r => r.System.StartsWith("http floor", StringComparison.Ordinal));
            var ceiling = floorRow.Metrics["claims_per_s"] / Math.Max(1, sqlRow.Metrics["claims_per_s"]);
            floorRow.Metrics["ratio_to_sql_baseline"] = Math.Round(ceiling, 2);
            if (ceiling < 3) report.Notes.Add($"The HTTP floor (a constant answer, no work) is {ceiling:0.00}x the SQL baseline here: no system answering over this path on this machine can reach 3x.");
        }
        return report;
    }

    /// <summary>One claim over HTTP: whether it won, or null when the request failed.</summary>
    private static async Task<bool?> ClaimOverHttpAsync(HttpClient http, string path)
    {
        using var response = await http.PostAsync(path, null);
        if (!response.IsSuccessStatusCode) return null;
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return doc.RootElement.GetProperty("success").GetBoolean();
    }

    /// <summary>Claims on the warm-up collectibles for <see cref="Options.Warmup"/>, the same mix as the measured run.</summary>
    private static async Task WarmUpAsync(Options o, string[] warmIds, Func<int, string> userFor, Func<string, string, Task<bool?>> claim, Action<string> log)
    {
        var perCollectible = o.Claims / o.Collectibles;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var count = await LoadDriver.WarmUpAsync(o.Warmup, o.Concurrency, i =>
            claim(warmIds[i / perCollectible % warmIds.Length], userFor(i % o.Claims)));
        process.Refresh();
        // The warm-up is a steady state as long as the measured run (seconds, not one), so its rate moves less with noise;
        // CPU is this process's (server and driver; the SQL baseline's database works in its own process).
        log($"claims: warmed up for {o.Warmup.TotalSeconds:0} s ({count} claims, {count / o.Warmup.TotalSeconds:0}/s, " +
            $"{(process.TotalProcessorTime - cpu).TotalMicroseconds / Math.Max(1, count):0} µs of this process's CPU each)");
    }

    /// <summary>Adds a claims row and checks exactly one winner per collectible (and no failed request).</summary>
    internal static void Record(ScenarioReport report, string system, LoadDriver.Result r,
        ConcurrentDictionary<string, ConcurrentBag<string>> wins, int collectibles, Action<string> log)
    {
        var winners = wins.Values.Sum(b => b.Count);
        var oneEach = wins.Count == collectibles && wins.Values.All(b => b.Count == 1);
        var row = report.Add(system, r.Count, ("claims_per_s", r.PerSecond), ("p50_ms", r.Latency.P50), ("p99_ms", r.Latency.P99),
            ("p999_ms", r.Latency.P999), ("winners", winners), ("errors", r.Failures));
        if (r.RoundRates is { } rates)
        {
            row.Metrics["slowest_storm_per_s"] = Math.Round(rates.Min());
            row.Metrics["fastest_storm_per_s"] = Math.Round(rates.Max());
        }
        report.Check($"{system}: exactly one winner per collectible", oneEach && r.Failures == 0,
            $"{winners} winners over {collectibles} collectibles, {r.Failures} failed requests");
        log($"claims {system}: {r.PerSecond:0}/s{Rounds(r)}, {r.Latency}, winners {winners}/{collectibles}, errors {r.Failures}");
    }

    /// <summary>" (storms: 9,870/s, 12,005/s, ...)" for a run in rounds, else nothing.</summary>
    private static string Rounds(LoadDriver.Result r) =>
        r.RoundRates is { } rates ? $" (storms: {string.Join(", ", rates.Select(x => $"{x:N0}/s"))})" : "";

    internal static async Task<string[]> SeedUsersAsync(IGrainFactory grains, int count)
    {
        var ids = new string[count];
        var baseNumber = 3_000_000_000L + Random.Shared.NextInt64(0, 900_000_000);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var result = await grains.GetGrain<IPhoneRegistryGrain>($"+57{baseNumber + i}").RegisterAsync($"Bench User {i}");
            ids[i] = result.User.Id;
        });
        return ids;
    }

    /// <summary>Creates <paramref name="count"/> active collectibles through grain calls (setup, not measured).</summary>
    internal static async Task<string[]> SeedCollectiblesAsync(IGrainFactory grains, int count, string tag)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, count).Select(_ => CivicIds.New()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, _) =>
            await grains.GetGrain<ICollectibleGrain>(id).CreateAsync(
                new CollectibleView(id, "bench-" + tag, "Bench Token", "common", now, now.AddHours(1), null, null, CollectibleStatus.Active)));
        return ids;
    }

    /// <summary>The HTTP floor: a minimal Kestrel endpoint that answers every claim with the same JSON and does nothing else.</summary>
    internal sealed class FloorServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FloorServer(WebApplication app, Uri baseUri) { _app = app; BaseUri = baseUri; }

        public Uri BaseUri { get; }

        public static async Task<FloorServer> StartAsync()
        {
            var port = FreePort.Find();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.MapPost("/claim", () => Results.Json(new { success = false, message = "Collectible already claimed by another user" }));
            await app.StartAsync();
            return new FloorServer(app, new Uri($"http://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The SQL baseline: a minimal Kestrel endpoint over one conditional UPDATE on PostgreSQL.</summary>
    internal sealed class SqlClaimServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly NpgsqlDataSource _db;
        private readonly string _table;

        private SqlClaimServer(WebApplication app, NpgsqlDataSource db, string table, string[] ids, Uri baseUri)
        {
            _app = app; _db = db; _table = table; Ids = ids; BaseUri = baseUri;
        }

        public string[] Ids { get; }
        /// <summary>Rows of their own for the warm-up.</summary>
        public string[] WarmIds => Ids.Select(id => "w" + id).ToArray();
        public Uri BaseUri { get; }

        public static async Task<SqlClaimServer> StartAsync(string url, int count)
        {
            var db = new NpgsqlDataSourceBuilder(ToConnectionString(url)).Build();
            var table = "bench_claims_" + Guid.NewGuid().ToString("N")[..8];
            await using (var cmd = db.CreateCommand($"CREATE TABLE {table} (id text PRIMARY KEY, claimed_by text)")) await cmd.ExecuteNonQueryAsync();
            var ids = Enumerable.Range(0, count).Select(i => $"c{i}").ToArray();
            foreach (var id in ids.Concat(ids.Select(id => "w" + id)))
            {
                await using var ins = db.CreateCommand($"INSERT INTO {table} (id) VALUES ($1)");
                ins.Parameters.AddWithValue(id);
                await ins.ExecuteNonQueryAsync();
            }
            var port = FreePort.Find();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var update = $"UPDATE {table} SET claimed_by = $1 WHERE id = $2 AND claimed_by IS NULL";
            app.MapGet("/health", () => "ok");
            app.MapPost("/claim", async (HttpContext ctx) =>
            {
                var c = ctx.Request.Query["collectible_id"].ToString();
                var u = ctx.Request.Query["user_id"].ToString();
                await using var cmd = db.CreateCommand(update);
                cmd.Parameters.AddWithValue(u);
                cmd.Parameters.AddWithValue(c);
                var won = await cmd.ExecuteNonQueryAsync() == 1;
                return Results.Json(new { success = won, message = won ? "Collectible claimed" : "Collectible already claimed by another user" });
            });
            await app.StartAsync();
            return new SqlClaimServer(app, db, table, ids, new Uri($"http://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            try { await using var cmd = _db.CreateCommand($"DROP TABLE {_table}"); await cmd.ExecuteNonQueryAsync(); } catch (NpgsqlException) { }
            await _db.DisposeAsync();
        }
    }

    /// <summary>postgresql://user:pass@host:port/db -> an Npgsql connection string (a connection string passes through).</summary>
    public static string ToConnectionString(string url)
    {
        if (!url.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || !url.Contains("://")) return url;
        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.Trim('/'),
            Username = Uri.UnescapeDataString(userInfo[0]),
            MaxPoolSize = 64,
        };
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        return b.ConnectionString;
    }
}

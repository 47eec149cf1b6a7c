using System.Net;
using System.Text.Json;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Geo;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CityArray.Gateway.Events;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.LoadGen.Scenarios;

/// <summary>
/// Nearby search: E active events spread uniformly over a box around Bogota; queries at random points in the box
/// (radius 5 km, default limit 20) through <c>GET /api/events/nearby</c>, and the same queries through a minimal
/// Kestrel endpoint that brute-force scans the same events in memory and answers the same JSON. Every answer must
/// equal the brute force's (same ids, same order, same distances).
/// </summary>
public static class NearbyScenario
{
    public static readonly GeoPoint Bogota = new(-74.0721, 4.7110);

    public sealed record Options
    {
        public int[] Sizes { get; init; } = [10_000, 100_000];
        public int Queries { get; init; } = 2_000;
        public int Concurrency { get; init; } = 8;
        public double RadiusM { get; init; } = 5_000;
        /// <summary>Half-size of the box in degrees (0.25 = about 55 x 55 km).</summary>
        public double BoxDegrees { get; init; } = 0.25;
        /// <summary>Event creations in flight while seeding.</summary>
        public int SeedConcurrency { get; init; } = 256;
        /// <summary>Untimed queries against each system before its measured run (steady state, not JIT start-up).</summary>
        public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(20);
    }

    public static async Task<ScenarioReport> RunAsync(Options o, Action<string> log)
    {
        var report = new ScenarioReport("nearby");
        await using var target = await EmbeddedTarget.StartAsync();
        var random = new Random(42);
        var events = new List<EventView>();
        var creators = await ClaimStormScenario.SeedUsersAsync(target.Grains, Math.Max(10, o.Sizes.Max() / 200));
        foreach (var size in o.Sizes.Order())
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var points = Enumerable.Range(events.Count, size - events.Count)
                .Select(i => (Index: i, Point: new GeoPoint(
                    Math.Round(Bogota.Longitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 6),
                    Math.Round(Bogota.Latitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 6))))
                .ToList();
            var created = new EventView[points.Count];
            var done = 0;
            // Many creations in flight: each cell's group commit then carries many of them per write.
            await Parallel.ForEachAsync(Enumerable.Range(0, points.Count), new ParallelOptions { MaxDegreeOfParallelism = o.SeedConcurrency }, async (k, _) =>
            {
                var (i, p) = points[k];
                // A creation is finished by its retry (same id, creator and title): storage can refuse under load.
                var id = CivicIds.New();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        created[k] = await target.Grains.GetGrain<IEventGrain>(id)
                            .CreateAsync(creators[i % creators.Length], new EventDraft($"Bench event {i}", null, "music", p, null));
                        break;
                    }
                    catch (Exception) when (attempt < 5)
                    {
                        await Task.Delay(200 * attempt);
                    }
                }
                if (Interlocked.Increment(ref done) % 20_000 == 0) log($"nearby: {done} of {points.Count} created ({clock.Elapsed.TotalSeconds:0.0} s)");
            });
            events.AddRange(created);
            var seeded = clock.Elapsed.TotalSeconds;
            log($"nearby: {events.Count} events indexed ({points.Count} in {seeded:0.0} s, {points.Count / Math.Max(seeded, 0.001):0}/s)");

            var queries = Enumerable.Range(0, o.Queries).Select(_ => new GeoPoint(
                Math.Round(Bogota.Longitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 5),
                Math.Round(Bogota.Latitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 5))).ToArray();

            await using var brute = await BruteForceServer.StartAsync(events);
            var cityAnswers = new string[queries.Length];
            var bruteAnswers = new string[queries.Length];
            using var cityHttp = LoadDriver.Http(target.BaseUri, o.Concurrency);
            using var bruteHttp = LoadDriver.Http(brute.BaseUri, o.Concurrency);
            string Path(GeoPoint q) => $"/api/events/nearby?lng={q.Longitude}&lat={q.Latitude}&max_distance={o.RadiusM}";
            // Warm both (activations, JIT tiering) the same way first: the target is the steady state of a running server.
            var warmCity = await LoadDriver.WarmUpAsync(o.Warmup, o.Concurrency, i => CanonicalAsync(cityHttp, Path(queries[i % queries.Length])));
            var warmBrute = await LoadDriver.WarmUpAsync(o.Warmup, o.Concurrency, i => CanonicalAsync(bruteHttp, Path(queries[i % queries.Length])));
            log($"nearby {size}: warmed up for {o.Warmup.TotalSeconds:0} s each ({warmCity} cityarray, {warmBrute} brute-force queries)");

            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var b = await LoadDriver.RunAsync(queries.Length, o.Concurrency, async i =>
            {
                bruteAnswers[i] = await CanonicalAsync(bruteHttp, Path(queries[i]));
                return true;
            });
            process.Refresh();
            var bruteCpuUs = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / queries.Length;
            cpuBefore = process.TotalProcessorTime;
            var gcBefore = (Pause: GC.GetTotalPauseDuration(), Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
            var c = await LoadDriver.RunAsync(queries.Length, o.Concurrency, async i =>
            {
                cityAnswers[i] = await CanonicalAsync(cityHttp, Path(queries[i]));
                return true;
            });
            process.Refresh();
            // CPU time of this process per query (server and driver): steadier than wall time on a shared machine.
            var cityCpuUs = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / queries.Length;
            // Collector pauses during the measured run (this process hosts the server, the driver and the baseline).
            var gcPauseMs = (GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds;
            log($"nearby {size}: GC during the cityarray run: {gcPauseMs:0} ms paused, {GC.CollectionCount(0) - gcBefore.Gen0} gen0, " +
                $"{GC.CollectionCount(1) - gcBefore.Gen1} gen1, {GC.CollectionCount(2) - gcBefore.Gen2} gen2 collections");
            var mismatches = Enumerable.Range(0, queries.Length).Count(i => cityAnswers[i] != bruteAnswers[i]);
            var avgHits = bruteAnswers.Average(a => a.Count(ch => ch == ';'));
            report.Add("brute force", size, ("queries_per_s", b.PerSecond), ("p50_ms", b.Latency.P50), ("p99_ms", b.Latency.P99), ("p999_ms", b.Latency.P999),
                ("cpu_us_per_query", Math.Round(bruteCpuUs)));
            var row = report.Add("cityarray", size, ("queries_per_s", c.PerSecond), ("p50_ms", c.Latency.P50), ("p99_ms", c.Latency.P99),
                ("p999_ms", c.Latency.P999), ("results_per_query", avgHits), ("mismatches", mismatches), ("errors", c.Failures), ("gc_pause_ms", gcPauseMs), ("cpu_us_per_query", Math.Round(cityCpuUs)),
                ("seeded_per_s", points.Count / Math.Max(seeded, 0.001)), ("load_avg_1m", LoadAverage()));
            row.Metrics["p99_ratio_to_baseline"] = Math.Round(c.Latency.P99 / Math.Max(b.Latency.P99, 0.001), 2);
            report.Check($"results equal brute force at {size} events", mismatches == 0 && c.Failures == 0 && b.Failures == 0,
                $"{mismatches} of {queries.Length} answers differ, {c.Failures} failed requests, {avgHits:0.#} results per query");
            log($"nearby {size}: cityarray {c.Latency} ({c.PerSecond:0}/s, {cityCpuUs:0} µs CPU a query); brute force {b.Latency} ({b.PerSecond:0}/s, {bruteCpuUs:0} µs CPU); mismatches {mismatches}");
        }
        var largest = report.Rows.Where(r => r.System == "cityarray").MaxBy(r => r.Size)!;
        report.Target($"nearby p99 <= 5 ms at {largest.Size} events", largest.Metrics["p99_ms"], "<= 5 ms", largest.Metrics["p99_ms"] <= 5);
        return report;
    }

    /// <summary>The machine's 1-minute load average (Linux), 0 elsewhere: the run shares its cores.</summary>
    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 0; }
    }

    /// <summary>
    /// The canonical answer of a GET ("id@distance;" per result, in order: what must be equal), parsed from the response
    /// stream: the driver shares this process with the server, so it does not hold each answer as a string (a 20-event
    /// answer is about 12 KB of UTF-16) and adds fewer garbage collections of its own to the server's latency.
    /// </summary>
    internal static async Task<string> CanonicalAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(body);
        return Canonical(doc);
    }

    private static string Canonical(JsonDocument doc)
    {
        var text = new System.Text.StringBuilder(32 * doc.RootElement.GetArrayLength());
        foreach (var e in doc.RootElement.EnumerateArray())
            text.Append(e.GetProperty("id").GetString()).Append('@').Append(e.GetProperty("distance_m").GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
        return text.ToString();
    }

    /// <summary>The brute-force baseline: scans every event, keeps the nearest 20 within range, same JSON.</summary>
    internal sealed class BruteForceServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private BruteForceServer(WebApplication app, Uri baseUri) { _app = app; BaseUri = baseUri; }

        public Uri BaseUri { get; }

        public static async Task<BruteForceServer> StartAsync(IReadOnlyList<EventView> events)
        {
            var all = events.ToArray();
            var port = FreePort.Find();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            builder.Services.ConfigureHttpJsonOptions(j => JsonWire.Configure(j.SerializerOptions));
            var app = builder.Build();
            app.MapGet("/api/events/nearby", (double lng, double lat, double? max_distance, int? limit) =>
            {
                var center = new GeoPoint(lng, lat);
                var radius = max_distance ?? IEventSearchGrain.DefaultMaxDistanceM;
                var hits = all.Select(e => (Event: e, Distance: GeoMath.DistanceM(center, e.Coordinates)))
                    .Where(h => h.Distance <= radius)
                    .OrderBy(h => h.Distance).ThenBy(h => h.Event.Id, StringComparer.Ordinal)
                    .Take(limit ?? IEventSearchGrain.DefaultLimit)
                    .Select(h => EventWire.ToWire(h.Event, h.Distance))
                    .ToArray();
                return Results.Ok(hits);
            });
            await app.StartAsync();
            return new BruteForceServer(app, new Uri($"http://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

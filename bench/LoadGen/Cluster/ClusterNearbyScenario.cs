using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Validation;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// Nearby search on the cluster: E active events created through the cluster's grains (as the embedded scenario seeds
/// them), then the same random queries through <c>GET /api/events/nearby</c> spread over the gateways (a public read:
/// no credential) and through the brute-force endpoint over the same events. Every answer must equal the brute force's.
/// </summary>
public static class ClusterNearbyScenario
{
    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, NearbyScenario.Options o, Action<string> log)
    {
        var report = new ScenarioReport("nearby");
        var random = new Random(42);
        var events = new List<EventView>();
        var creators = await ClaimStormScenario.SeedUsersAsync(cluster.Grains, Math.Max(10, o.Sizes.Max() / 200));
        foreach (var size in o.Sizes.Order())
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var points = Enumerable.Range(events.Count, size - events.Count)
                .Select(i => (Index: i, Point: new GeoPoint(
                    Math.Round(NearbyScenario.Bogota.Longitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 6),
                    Math.Round(NearbyScenario.Bogota.Latitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 6))))
                .ToList();
            var created = new EventView[points.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, points.Count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (k, _) =>
            {
                var (i, p) = points[k];
                var id = CivicIds.New();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        created[k] = await cluster.Grains.GetGrain<IEventGrain>(id)
                            .CreateAsync(creators[i % creators.Length], new EventDraft($"Bench event {i}", null, "music", p, null));
                        break;
                    }
                    catch (Exception) when (attempt < 5)
                    {
                        await Task.Delay(200 * attempt);
                    }
                }
            });
            events.AddRange(created);
            log($"nearby: {events.Count} events indexed ({points.Count} in {clock.Elapsed.TotalSeconds:0.0} s, not measured)");

            var queries = Enumerable.Range(0, o.Queries).Select(_ => new GeoPoint(
                Math.Round(NearbyScenario.Bogota.Longitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 5),
                Math.Round(NearbyScenario.Bogota.Latitude + (random.NextDouble() * 2 - 1) * o.BoxDegrees, 5))).ToArray();

            await using var brute = await NearbyScenario.BruteForceServer.StartAsync(events);
            var cityAnswers = new string[queries.Length];
            var bruteAnswers = new string[queries.Length];
            var cityHttp = cluster.Gateways.Select(g => LoadDriver.Http(g, o.Concurrency)).ToArray();
            using var bruteHttp = LoadDriver.Http(brute.BaseUri, o.Concurrency);
            try
            {
                Uri Path(GeoPoint q) => new($"/api/events/nearby?lng={q.Longitude}&lat={q.Latitude}&max_distance={o.RadiusM}", UriKind.Relative);
                // Warm both (activations, JIT) with a few queries first, on every gateway.
                for (var w = 0; w < Math.Min(20, queries.Length); w++)
                {
                    await NearbyAnswers.CanonicalAsync(cityHttp[w % cityHttp.Length], Path(queries[w]));
                    await NearbyAnswers.CanonicalAsync(bruteHttp, Path(queries[w]));
                }
                var b = await LoadDriver.RunAsync(queries.Length, o.Concurrency, async i =>
                {
                    bruteAnswers[i] = await NearbyAnswers.CanonicalAsync(bruteHttp, Path(queries[i]));
                    return true;
                });
                var c = await LoadDriver.RunAsync(queries.Length, o.Concurrency, async i =>
                {
                    cityAnswers[i] = await NearbyAnswers.CanonicalAsync(cityHttp[cluster.GatewayIndexFor(i)], Path(queries[i]));
                    return true;
                });
                var mismatches = Enumerable.Range(0, queries.Length).Count(i => cityAnswers[i] != bruteAnswers[i]);
                var avgHits = bruteAnswers.Average(a => a is null ? 0 : NearbyAnswers.Count(a));
                report.Add("brute force", size, ("queries_per_s", b.PerSecond), ("p50_ms", b.Latency.P50), ("p99_ms", b.Latency.P99), ("p999_ms", b.Latency.P999));
                var row = report.Add("cityarray cluster", size, ("queries_per_s", c.PerSecond), ("p50_ms", c.Latency.P50), ("p99_ms", c.Latency.P99),
                    ("p999_ms", c.Latency.P999), ("results_per_query", avgHits), ("mismatches", mismatches), ("errors", c.Failures));
                row.Metrics["p99_ratio_to_baseline"] = Math.Round(c.Latency.P99 / Math.Max(b.Latency.P99, 0.001), 2);
                report.Check($"results equal brute force at {size} events", mismatches == 0 && c.Failures == 0 && b.Failures == 0,
                    $"{mismatches} of {queries.Length} answers differ, {c.Failures} failed requests, {avgHits:0.#} results per query");
                log($"nearby {size}: cityarray cluster {c.Latency} ({c.PerSecond:0}/s); brute force {b.Latency} ({b.PerSecond:0}/s); mismatches {mismatches}");
            }
            finally
            {
                foreach (var h in cityHttp) h.Dispose();
            }
        }
        var largest = report.Rows.Where(r => r.System == "cityarray cluster").MaxBy(r => r.Size)!;
        report.Target($"nearby p99 <= 5 ms at {largest.Size} events", largest.Metrics["p99_ms"], "<= 5 ms", largest.Metrics["p99_ms"] <= 5);
        return report;
    }
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Validation;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Reporting;
using CityArray.LoadGen.Scenarios;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// The claim storm on the cluster: users registered through <c>POST /api/users/register</c> (their session tokens kept),
/// collectibles created through the cluster's grains, then <c>claims</c> concurrent <c>POST /api/collectibles/claim</c>
/// spread over the gateways, each with the claiming user's own token (secured mode: the claim acts as the token's user).
/// Baselines in the same run, same driver and concurrency: the SQL conditional UPDATE on PostgreSQL behind a minimal
/// Kestrel endpoint, and grain calls through an Orleans client of the same cluster (no HTTP). Exactly one winner each.
/// </summary>
public static class ClusterClaimsScenario
{
    public static async Task<ScenarioReport> RunAsync(ClusterTarget cluster, ClaimStormScenario.Options o, string? postgresUrl, Action<string> log)
    {
        var report = new ScenarioReport("claims");
        var perCollectible = o.Claims / o.Collectibles;
        var users = await cluster.RegisterUsersAsync(Math.Max(o.Users, perCollectible));
        log($"claims: {users.Length} users registered through the phone registration flow (not measured)");
        int UserFor(int i) => (i % perCollectible + i / perCollectible) % users.Length;

        // 1. CityArray over HTTP, spread over the gateways, each claim with its user's token.
        var restIds = await ClaimStormScenario.SeedCollectiblesAsync(cluster.Grains, o.Collectibles, "rest");
        var restWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var http = cluster.Gateways.Select(g => LoadDriver.Http(g)).ToArray();
        try
        {
            foreach (var h in http) await h.GetAsync("/health");
            var r = await LoadDriver.RunAsync(o.Claims, o.Concurrency, async i =>
            {
                var c = restIds[i / perCollectible % restIds.Length];
                var (userId, token) = users[UserFor(i)];
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/collectibles/claim?collectible_id={c}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http[cluster.GatewayIndexFor(i)].SendAsync(request);
                if (!response.IsSuccessStatusCode) return false;
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                if (doc.RootElement.GetProperty("success").GetBoolean()) restWins.GetOrAdd(c, _ => []).Add(userId);
                return true;
            });
            ClaimStormScenario.Record(report, "cityarray cluster (REST)", r, restWins, o.Collectibles, log);
        }
        finally
        {
            foreach (var h in http) h.Dispose();
        }

        // 2. Grain calls through an Orleans client of the cluster (no HTTP): the grain path's ceiling from outside.
        var grainIds = await ClaimStormScenario.SeedCollectiblesAsync(cluster.Grains, o.Collectibles, "grain");
        var grainWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var g = await LoadDriver.RunAsync(o.Claims, o.Concurrency, async i =>
        {
            var c = grainIds[i / perCollectible % grainIds.Length];
            var u = users[UserFor(i)].Id;
            var result = await cluster.Grains.GetGrain<ICollectibleGrain>(c).ClaimAsync(u);
            if (result.Success) grainWins.GetOrAdd(c, _ => []).Add(u);
            return true;
        });
        ClaimStormScenario.Record(report, "grain call (cluster client)", g, grainWins, o.Collectibles, log);

        // 3. The SQL baseline behind a minimal HTTP endpoint (the same PostgreSQL server as the cluster).
        if (postgresUrl is { Length: > 0 })
        {
            var sqlWins = new ConcurrentDictionary<string, ConcurrentBag<string>>();
            await using var sql = await ClaimStormScenario.SqlClaimServer.StartAsync(cluster.DatabaseUrl, o.Collectibles);
            using var sqlHttp = LoadDriver.Http(sql.BaseUri);
            await sqlHttp.GetAsync("/health");
            var r = await LoadDriver.RunAsync(o.Claims, o.Concurrency, async i =>
            {
                var c = sql.Ids[i / perCollectible % sql.Ids.Length];
                var u = users[UserFor(i)].Id;
                using var response = await sqlHttp.PostAsync($"/claim?collectible_id={c}&user_id={u}", null);
                if (!response.IsSuccessStatusCode) return false;
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                if (doc.RootElement.GetProperty("success").GetBoolean()) sqlWins.GetOrAdd(c, _ => []).Add(u);
                return true;
            });
            ClaimStormScenario.Record(report, "sql baseline (HTTP + PostgreSQL)", r, sqlWins, o.Collectibles, log);
            var rest = report.Rows.First(x => x.System.StartsWith("cityarray", StringComparison.Ordinal));
            var ratio = rest.Metrics["claims_per_s"] / Math.Max(1, report.Rows[^1].Metrics["claims_per_s"]);
            rest.Metrics["ratio_to_sql_baseline"] = Math.Round(ratio, 2);
            report.Target("claims/s >= 3x the same-path SQL baseline", ratio, ">= 3.0x", ratio >= 3);
        }
        return report;
    }
}

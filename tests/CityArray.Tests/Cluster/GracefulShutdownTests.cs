using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;

namespace CityArray.Tests.Cluster;

/// <summary>SIGTERM on real processes (deploy/local-cluster.sh, PostgreSQL): gateways say "going away", silos write what is dirty.</summary>
[Collection(HeavyCollection.Name)]
public sealed class GracefulShutdownTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [SkippableFact]
    public async Task Sigterm_closes_gateway_sockets_with_1001_and_a_silo_writes_dirty_state_before_it_exits()
    {
        Skip.If(database.Url is null, PostgresTestDatabase.SkipReason);
        // A long offline timeout keeps the lazy write interval at its 15 s: the second metrics sample stays in memory only.
        await using var cluster = await LocalCluster.StartAsync(database.Url!, silos: 1, gateways: 2,
            new Dictionary<string, string> { ["SIGN_OFFLINE_AFTER_SECONDS"] = "3600" });
        using var http = new HttpClient { BaseAddress = cluster.Http(1), Timeout = TimeSpan.FromSeconds(30) };
        var token = await ClusterSecurity.SignInAdminAsync(http);
        var secretB = await ClusterSecurity.ProvisionSignAsync(http, "term-b");
        var secretA = await ClusterSecurity.ProvisionSignAsync(http, "term-a");

        // A standalone silo serves its own scrape endpoint (SILO_METRICS_PORT; local-cluster.sh gives each silo one).
        using (var scrape = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{cluster.State["SILO_1_METRICS_PORT"]}"), Timeout = TimeSpan.FromSeconds(30) })
        {
            Assert.Equal("ok", await scrape.GetStringAsync("/health"));
            var metrics = "";
            await Eventually.UntilAsync(async () => (metrics = await scrape.GetStringAsync("/metrics")).Contains("orleans_"),
                () => metrics[..Math.Min(metrics.Length, 2000)], TimeSpan.FromSeconds(20));
        }

        // Gateway 2: a sign, a dashboard and a user socket all get 1001 at once on SIGTERM.
        await using var leaving = await WsClient.ConnectAsync(cluster.Ws(2, $"/ws/sign/term-b?token={Uri.EscapeDataString(secretB)}"));
        await using var dashboard = await WsClient.ConnectAsync(cluster.Ws(2, $"/ws/dashboard?access_token={token}"));
        await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        await cluster.TermGatewayAsync(2);
        await leaving.WaitClosedAsync(TimeSpan.FromSeconds(5));
        await dashboard.WaitClosedAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, leaving.CloseStatus);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, dashboard.CloseStatus);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"gateway took {clock.Elapsed} to stop\n{cluster.Logs()}");

        // Silo: the first sample is written through, the second only lives in memory until the grain deactivates.
        await using var sign = await WsClient.ConnectAsync(cluster.Ws(1, $"/ws/sign/term-a?token={Uri.EscapeDataString(secretA)}"));
        await sign.SendJsonAsync(new { type = "metrics", data = new { crowd_count = 10, impressions = 1 } });
        await sign.SendJsonAsync(new { type = "metrics", data = new { crowd_count = 10, impressions = 2 } });
        var samples = 0;
        await Eventually.UntilAsync(async () => (samples = (await http.GetFromJsonAsync<JsonElement>("/api/signs/term-a/metrics")).GetProperty("samples").GetArrayLength()) == 2,
            () => $"{samples} samples", TimeSpan.FromSeconds(30));

        var pid = cluster.Pid("silo-1");
        clock.Restart();
        await cluster.TermSiloAsync(1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"silo took {clock.Elapsed} to stop (HostOptions.ShutdownTimeout is 20 s)\n{cluster.Log("silo-1")}");
        Assert.DoesNotContain("SIGKILL", cluster.Log("silo-1"));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));

        // A new silo loads both samples: nothing written lazily was lost by the graceful stop.
        await cluster.StartSiloAsync(1);
        await cluster.WaitReadyAsync();
        var after = 0;
        await Eventually.UntilAsync(async () =>
        {
            try { after = (await http.GetFromJsonAsync<JsonElement>("/api/signs/term-a/metrics")).GetProperty("samples").GetArrayLength(); }
            catch (HttpRequestException) { }
            return after == 2;
        }, () => $"{after} samples after the restart\n{cluster.Logs()}", TimeSpan.FromSeconds(60));
    }
}

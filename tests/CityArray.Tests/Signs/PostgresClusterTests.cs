using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;

namespace CityArray.Tests.Signs;

/// <summary>The sign and dashboard flow on a real cluster: two silo processes and a gateway process on PostgreSQL.</summary>
public sealed class PostgresClusterTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    [SkippableFact]
    public async Task Signs_and_dashboards_work_end_to_end_on_two_silos_and_a_gateway()
    {
        Skip.If(database.Url is null, PostgresTestDatabase.SkipReason);
        var cluster = $"cluster-{Guid.NewGuid():N}"[..20];
        Dictionary<string, string> Env(params (string Key, string Value)[] extra)
        {
            var env = new Dictionary<string, string>
            {
                ["DATABASE_URL"] = database.Url!,
                ["ORLEANS_CLUSTER_ID"] = cluster,
                ["SIGN_OFFLINE_AFTER_SECONDS"] = "3",
            };
            foreach (var (key, value) in extra) env[key] = value;
            return env;
        }

        await using var silo1 = AppProcess.Start("Silo", Env(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        await using var silo2 = AppProcess.Start("Silo", Env(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        var port = FreePort.Find();
        await using var gateway = AppProcess.Start("Gateway", Env(("PORT", port.ToString()), ("HOST", "127.0.0.1")));
        await gateway.WaitHealthyAsync($"http://127.0.0.1:{port}/ready", TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // Both silos joined the cluster.
        await using (var db = await database.OpenAsync())
        {
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3";
            count.Parameters.AddWithValue("c", cluster);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Convert.ToInt32(await count.ExecuteScalarAsync()) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, $"two active silos expected\n{silo1.Output}\n{silo2.Output}");
                await Task.Delay(500);
            }
        }

        await using var dashboard = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/dashboard"));
        await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));

        // Many signs spread their grains over both silos.
        var signs = new List<WsClient>();
        for (var i = 0; i < 20; i++) signs.Add(await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/sign/pg-{i}")));
        try
        {
            var clock = Stopwatch.StartNew();
            await signs[7].SendJsonAsync(new { type = "heartbeat", data = new { battery = 55, crowd_density = "critical", crowd_count = 900 } });
            var update = await dashboard.ReceiveAsync("sign_update", m => m.GetProperty("sign").GetProperty("id").GetString() == "pg-7", TimeSpan.FromSeconds(10));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"sign_update took {clock.Elapsed}");
            Assert.Equal("critical", update.GetProperty("sign").GetProperty("crowd_density").GetString());

            var offline = await dashboard.ReceiveAsync("sign_offline", m => m.GetProperty("sign").GetProperty("id").GetString() == "pg-7", TimeSpan.FromSeconds(15));
            Assert.Equal("offline", offline.GetProperty("sign").GetProperty("status").GetString());

            var all = await http.GetFromJsonAsync<JsonElement>("/api/signs");
            Assert.Equal(20, all.GetArrayLength());
            var one = await http.GetFromJsonAsync<JsonElement>("/api/signs/pg-7");
            Assert.Equal(55, one.GetProperty("battery").GetInt32());
        }
        finally
        {
            foreach (var sign in signs) await sign.DisposeAsync();
        }
    }
}

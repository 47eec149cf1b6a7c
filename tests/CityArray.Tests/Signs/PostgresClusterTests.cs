using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;

namespace CityArray.Tests.Signs;

/// <summary>The sign and dashboard flow on a real cluster: two silo processes and a gateway process on PostgreSQL.</summary>
[Collection(HeavyCollection.Name)]
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
            foreach (var (key, value) in ClusterSecurity.Env) env[key] = value;
            foreach (var (key, value) in extra) env[key] = value;
            return env;
        }

        await using var silo1 = AppProcess.Start("Silo", Env(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        await using var silo2 = AppProcess.Start("Silo", Env(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        var port = FreePort.Find();
        await using var gateway = AppProcess.Start("Gateway", Env(("PORT", port.ToString()), ("HOST", "127.0.0.1")));
        await gateway.WaitHealthyAsync($"http://127.0.0.1:{port}/ready", TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var token = await ClusterSecurity.SignInAdminAsync(http);

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

        // Provisioned before the dashboard connects, so its registration updates are not mistaken for heartbeat updates.
        var secrets = new List<string>();
        for (var i = 0; i < 20; i++) secrets.Add(await ClusterSecurity.ProvisionSignAsync(http, $"pg-{i}"));
        await using var dashboard = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/dashboard?access_token={token}"));
        await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));

        // Many signs spread their grains over both silos.
        var signs = new List<WsClient>();
        for (var i = 0; i < 20; i++) signs.Add(await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/sign/pg-{i}?token={secrets[i]}")));
        try
        {
            // A first heartbeat warms the fresh processes' code paths (JIT); the latency that matters is the steady state.
            await signs[3].SendJsonAsync(new { type = "heartbeat", data = new { battery = 50 } });
            await dashboard.ReceiveAsync("sign_update", m => m.GetProperty("sign").GetProperty("id").GetString() == "pg-3", TimeSpan.FromSeconds(10));

            var clock = Stopwatch.StartNew();
            await signs[7].SendJsonAsync(new { type = "heartbeat", data = new { battery = 55, crowd_density = "critical", crowd_count = 900 } });
            // Sign events of different signs may interleave across silos (each silo pushes its own signs' events), so an
            // earlier update of pg-7 (its connect) may still be on its way: the one that matters carries this heartbeat.
            var update = await dashboard.ReceiveAsync("sign_update", m => m.GetProperty("sign").GetProperty("id").GetString() == "pg-7" &&
                m.GetProperty("sign").TryGetProperty("crowd_density", out var density) && density.GetString() == "critical", TimeSpan.FromSeconds(10));
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

    [SkippableFact]
    public async Task An_override_to_all_reaches_signs_on_every_gateway_and_is_tallied()
    {
        Skip.If(database.Url is null, PostgresTestDatabase.SkipReason);
        var env = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = database.Url!,
            ["ORLEANS_CLUSTER_ID"] = $"ovr-{Guid.NewGuid():N}"[..20],
            // Its own service id: grain state of the other test in this database stays out of "all".
            ["ORLEANS_SERVICE_ID"] = $"svc-{Guid.NewGuid():N}"[..20],
            ["SIGN_OFFLINE_AFTER_SECONDS"] = "60",
        };
        foreach (var (key, value) in ClusterSecurity.Env) env[key] = value;
        Dictionary<string, string> With(params (string Key, string Value)[] extra) =>
            new(env.Concat(extra.Select(e => KeyValuePair.Create(e.Key, e.Value))));

        await using var silo1 = AppProcess.Start("Silo", With(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        await using var silo2 = AppProcess.Start("Silo", With(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString())));
        var (portA, portB) = (FreePort.Find(), FreePort.Find());
        await using var gatewayA = AppProcess.Start("Gateway", With(("PORT", portA.ToString()), ("HOST", "127.0.0.1")));
        await using var gatewayB = AppProcess.Start("Gateway", With(("PORT", portB.ToString()), ("HOST", "127.0.0.1")));
        await gatewayA.WaitHealthyAsync($"http://127.0.0.1:{portA}/ready", TimeSpan.FromSeconds(90));
        await gatewayB.WaitHealthyAsync($"http://127.0.0.1:{portB}/ready", TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}") };
        var token = await ClusterSecurity.SignInAdminAsync(http);

        // Half the signs on each gateway; a dashboard on gateway B.
        await using var dashboard = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{portB}/ws/dashboard?access_token={token}"));
        await dashboard.ReceiveAsync("all_signs", timeout: TimeSpan.FromSeconds(30));
        var signs = new List<WsClient>();
        for (var i = 0; i < 40; i++)
        {
            var secret = await ClusterSecurity.ProvisionSignAsync(http, $"all-{i}");
            signs.Add(await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{(i % 2 == 0 ? portA : portB)}/ws/sign/all-{i}?token={secret}")));
        }
        try
        {
            var known = 0;
            await Eventually.UntilAsync(async () => (known = (await http.GetFromJsonAsync<JsonElement>("/api/signs")).GetArrayLength()) == 40, () => $"{known} of 40 signs known");
            var response = await http.PostAsJsonAsync("/api/overrides", new { text = "Shelter in place", all = true, severity = "severe" });
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            var overrideId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;

            await Task.WhenAll(signs.Select(async sign =>
            {
                var received = await sign.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() == overrideId, TimeSpan.FromSeconds(15));
                Assert.Equal("Shelter in place", received.GetProperty("text").GetString());
                await sign.SendJsonAsync(new { type = "ack", message_id = overrideId });
            }));
            await dashboard.ReceiveAsync("override_activated", m => m.GetProperty("override").GetProperty("override_id").GetString() == overrideId);

            var acked = 0;
            await Eventually.UntilAsync(async () => (acked = (await http.GetFromJsonAsync<JsonElement>($"/api/overrides/{overrideId}")).GetProperty("acked").GetInt32()) == 40, () => $"{acked} of 40 acked");
            var tally = await http.GetFromJsonAsync<JsonElement>($"/api/overrides/{overrideId}");
            Assert.Equal(40, tally.GetProperty("covered").GetInt32());
            Assert.Equal(0, tally.GetProperty("not_acked").GetArrayLength());
        }
        finally
        {
            foreach (var sign in signs) await sign.DisposeAsync();
        }
    }
}

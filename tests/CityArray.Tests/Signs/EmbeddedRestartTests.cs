using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Retention;

namespace CityArray.Tests.Signs;

/// <summary>The embedded process as users run it: a real process on SQLite, restarted, and side by side with another.</summary>
[Collection(HeavyCollection.Name)]
public sealed class EmbeddedRestartTests
{
    [Fact]
    public async Task A_restarted_embedded_process_still_knows_its_signs_and_a_sign_that_never_returns_goes_offline()
    {
        var workDir = TempDirectory.Create("restart");
        var port = FreePort.Find();
        var env = new Dictionary<string, string> { ["PORT"] = port.ToString(), ["HOST"] = "127.0.0.1", ["SIGN_OFFLINE_AFTER_SECONDS"] = "15" };
        var baseUrl = $"http://127.0.0.1:{port}";
        var database = Path.Combine(workDir, "data", "cityarray.db");
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        // Default DATABASE_URL: ./data/cityarray.db relative to the working directory.
        await using (var first = AppProcess.Start("Gateway", env, workDir))
        {
            await first.WaitHealthyAsync($"{baseUrl}/ready");
            (await http.PutAsJsonAsync("/api/signs/north-1", new { name = "North gate 1", zone = "north", coordinates = new[] { -74.07, 4.71 } }))
                .EnsureSuccessStatusCode();
            await using var sign = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/sign/south-9"));
            await sign.SendJsonAsync(new { type = "heartbeat", data = new { battery = 64, crowd_density = "medium", crowd_count = 12 } });
            await sign.SendJsonAsync(new { type = "metrics", data = new { impressions = 10 } });
            // Metric names Newtonsoft-with-type-names once read as metadata, which made the sign unreadable after a restart.
            await using var hostile = await WsClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/sign/dollar-1"));
            await hostile.SendTextAsync("{\"type\":\"metrics\",\"data\":{\"$type\":1,\"$ref\":2,\"$values\":3,\"$id\":4}}");
            await Eventually.UntilAsync(async () =>
            {
                var response = await http.GetAsync("/api/signs/south-9");
                var dollar = await http.GetAsync("/api/signs/dollar-1");
                return response.IsSuccessStatusCode && dollar.IsSuccessStatusCode &&
                       (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stats").GetProperty("metrics_reports").GetInt32() == 1 &&
                       (await dollar.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stats").GetProperty("metrics_reports").GetInt32() == 1;
            });
            // Liveness has one reminder for the whole fleet (the snapshot's sweep), none per sign.
            await Eventually.UntilAsync(async () =>
                await StoredRows.CountAsync(database, "SELECT count(*) FROM reminders WHERE reminder_name = 'liveness-sweep'") == 1);
            Assert.Equal(0, await StoredRows.CountAsync(database, "SELECT count(*) FROM reminders WHERE reminder_name = 'offline-check'"));
            // The stop ends south-9's offline timer while it is online (its socket closes, it stays online until its timeout).
            Assert.Equal("online", await StatusAsync(http, "south-9"));
            await first.StopAsync();
        }
        Assert.True(File.Exists(Path.Combine(workDir, "data", "cityarray.db")));

        await using var second = AppProcess.Start("Gateway", env, workDir);
        await second.WaitHealthyAsync($"{baseUrl}/ready");
        var signs = await http.GetFromJsonAsync<JsonElement>("/api/signs");
        Assert.Equal(["dollar-1", "north-1", "south-9"], signs.EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order());
        var north = await http.GetFromJsonAsync<JsonElement>("/api/signs/north-1");
        Assert.Equal("North gate 1", north.GetProperty("name").GetString());
        Assert.Equal("north", north.GetProperty("zone").GetString());
        var south = await http.GetFromJsonAsync<JsonElement>("/api/signs/south-9");
        Assert.Equal(64, south.GetProperty("battery").GetInt32());
        Assert.Equal("medium", south.GetProperty("crowd_density").GetString());
        Assert.Equal(1, south.GetProperty("stats").GetProperty("heartbeats").GetInt32());
        var metrics = await http.GetFromJsonAsync<JsonElement>("/api/signs/south-9/metrics");
        Assert.Equal(10, metrics.GetProperty("samples")[0].GetProperty("values").GetProperty("impressions").GetDouble());
        var dollarMetrics = await http.GetFromJsonAsync<JsonElement>("/api/signs/dollar-1/metrics");
        var values = dollarMetrics.GetProperty("samples")[0].GetProperty("values");
        Assert.Equal([1.0, 2.0, 3.0, 4.0], new[] { "$type", "$ref", "$values", "$id" }.Select(n => values.GetProperty(n).GetDouble()));

        // south-9 never connects again: with no reminder of its own, its grain (activated again by the snapshot's load
        // at start, or by a read) re-arms its timer and reports it offline once the timeout has passed.
        string? status = null;
        await Eventually.UntilAsync(async () => (status = await StatusAsync(http, "south-9")) == "offline",
            () => $"south-9 is {status}", TimeSpan.FromSeconds(30));
    }

    private static async Task<string?> StatusAsync(HttpClient http, string signId) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/signs/{signId}")).GetProperty("status").GetString();

    [Fact]
    public async Task Two_embedded_instances_run_side_by_side_on_different_ports()
    {
        var (portA, portB) = (FreePort.Find(), FreePort.Find());
        await using var a = AppProcess.Start("Gateway", new Dictionary<string, string> { ["PORT"] = portA.ToString(), ["HOST"] = "127.0.0.1" }, TempDirectory.Create("side-a"));
        await using var b = AppProcess.Start("Gateway", new Dictionary<string, string> { ["PORT"] = portB.ToString(), ["HOST"] = "127.0.0.1" }, TempDirectory.Create("side-b"));
        await a.WaitHealthyAsync($"http://127.0.0.1:{portA}/ready");
        await b.WaitHealthyAsync($"http://127.0.0.1:{portB}/ready");

        using var http = new HttpClient();
        (await http.PutAsJsonAsync($"http://127.0.0.1:{portA}/api/signs/only-a", new { name = "A" })).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{portB}/api/signs/only-a")).StatusCode);
    }
}

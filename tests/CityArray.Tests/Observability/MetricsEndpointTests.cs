using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Observability;

/// <summary><c>GET /metrics</c> on a real embedded server exposes CityArray's, ASP.NET Core's and Orleans' instruments in Prometheus format.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_exposes_connections_frames_acks_delivery_latency_claims_grain_calls_http_and_orleans_instruments()
    {
        await using var server = await EmbeddedServer.StartAsync();
        var sign = await server.ConnectAsync("/ws/sign/metrics-1");
        await server.WaitConnectedAsync("metrics-1");
        var message = await server.Http.PostAsJsonAsync("/api/messages", new { text = "Counted", sign_ids = new[] { "metrics-1" } });
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        var messageId = (await message.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!;
        await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId);
        await sign.SendJsonAsync(new { type = "ack", message_id = messageId });
        await server.WaitForSignAsync("metrics-1", _ => true);
        var claim = await server.Http.PostAsync("/api/collectibles/claim?collectible_id=0123456789abcdef&user_id=0123456789abcdef", null);
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);

        string text = "";
        string[] expected =
        [
            "cityarray_connections{", "kind=\"sign\"", "cityarray_frames_in_total", "cityarray_frames_out_total", "cityarray_acks_total",
            "cityarray_claims_total{", "outcome=\"not_active\"", "cityarray_grain_call_duration_seconds_bucket", "interface=",
            "http_server_request_duration_seconds_bucket", "orleans_",
            "cityarray_delivery_latency_seconds_bucket{", "stage=\"sent\"", "stage=\"acked\"", "kind=\"message\"",
        ];
        await Eventually.UntilAsync(async () =>
        {
            var response = await server.Http.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && expected.All(text.Contains);
        }, () => $"missing: {string.Join(", ", expected.Where(e => !text.Contains(e)))}\n{text[..Math.Min(text.Length, 3000)]}", TimeSpan.FromSeconds(20));
        // The gateway's own calls are timed; those grains make to each other (a sign grain to its silo's push grain) are not.
        var grainCalls = text.Split('\n').Where(l => l.StartsWith("cityarray_grain_call_duration_seconds_count", StringComparison.Ordinal)).ToList();
        Assert.Contains(grainCalls, l => l.Contains("ICollectibleGrain", StringComparison.Ordinal));
        Assert.DoesNotContain(grainCalls, l => l.Contains("IDashboardPushGrain", StringComparison.Ordinal));
        await sign.DisposeAsync();
    }

    [Fact]
    public async Task The_orleans_dashboard_is_mounted_under_its_path_for_admins_and_can_be_turned_off()
    {
        await using (var open = await EmbeddedServer.StartAsync())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await open.Http.GetAsync("/admin/orleans/")).StatusCode); // open mode: not by default
            Assert.False(RunsDashboardSiloSide(open), "the dashboard is off, yet the silo runs its grain call profiler");
        }
        await using (var server = await EmbeddedServer.StartAsync(new() { ["ORLEANS_DASHBOARD_PATH"] = "/admin/orleans" }))
        {
            var page = await server.Http.GetAsync("/admin/orleans/");
            Assert.True(page.IsSuccessStatusCode, $"{page.StatusCode}");
            // Its data comes from the silo's side of the dashboard.
            Assert.True(RunsDashboardSiloSide(server));
            var counters = await server.Http.GetAsync("/admin/orleans/DashboardCounters");
            Assert.True(counters.IsSuccessStatusCode, $"{counters.StatusCode}: {await counters.Content.ReadAsStringAsync()}");
            Assert.Contains("totalActivationCount", await counters.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            // The package answers 500/503 to these itself; the guard answers first (docs/limits.md).
            Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync("/admin/orleans/SiloCounters/%24type")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.GetAsync("/admin/orleans/HistoricalStats/bad")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/admin/orleans/SiloMetadata/127.0.0.1:1@1")).StatusCode);
        }
        await using (var secured = await EmbeddedServer.StartAsync(new() { ["SECRET_KEY"] = ClusterSecurity.SecretKey }))
            Assert.Equal(HttpStatusCode.Unauthorized, (await secured.Http.GetAsync("/admin/orleans/")).StatusCode);
        await using (var off = await EmbeddedServer.StartAsync(new() { ["ORLEANS_DASHBOARD_PATH"] = "off" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await off.Http.GetAsync("/admin/orleans/")).StatusCode);
            Assert.False(RunsDashboardSiloSide(off));
        }
    }

    /// <summary>Whether the silo runs the dashboard's grain call profiler (a cost on every grain call while on).</summary>
    private static bool RunsDashboardSiloSide(EmbeddedServer server) =>
        server.Services.GetServices<Orleans.IIncomingGrainCallFilter>().Any(f => f.GetType().Name == "GrainProfilerFilter");
}

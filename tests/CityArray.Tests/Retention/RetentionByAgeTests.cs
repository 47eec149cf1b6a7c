using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Retention;

/// <summary>
/// Retention of decided submissions (and their entries in the moderation queue) and of sign metrics by age: the stored
/// rows go, the queue stops listing them, and what is still current stays.
/// </summary>
public sealed class RetentionByAgeTests
{
    [Fact]
    public async Task Decided_submissions_leave_storage_and_the_moderation_queue_after_their_retention_period_and_pending_ones_stay()
    {
        // 0.0001 days is 8.64 s (reminders fire on real time).
        await using var server = await EmbeddedServer.StartAsync(new() { ["RETENTION_SUBMISSIONS_DAYS"] = "0.0001" });
        var db = Path.Combine(server.DataDirectory, "cityarray.db");
        async Task<string> SubmitAsync(string text)
        {
            var response = await server.Http.PostAsJsonAsync("/api/submissions", new { name = "Ana", text });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        async Task<List<string>> ListAsync(string status) =>
            (await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions?status={status}&limit=500")).EnumerateArray()
                .Select(s => s.GetProperty("id").GetString()!).ToList();
        var approved = await SubmitAsync("Approve me");
        var rejected = await SubmitAsync("Reject me");
        var pending = await SubmitAsync("Still waiting");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"/api/submissions/{approved}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostAsync($"/api/submissions/{rejected}/reject", null)).StatusCode);
        Assert.Contains(approved, await ListAsync("approved"));
        Assert.Contains(rejected, await ListAsync("rejected"));

        long rows = -1, reminders = -1;
        await Eventually.UntilAsync(async () =>
        {
            rows = await StoredRows.CountAsync(db, "SELECT count(*) FROM grain_state WHERE state_name = 'submission'");
            reminders = await StoredRows.CountAsync(db, "SELECT count(*) FROM reminders WHERE reminder_name = 'retention'");
            return rows == 1 && reminders == 0;
        }, () => $"{rows} submissions, {reminders} retention reminders stored", TimeSpan.FromSeconds(90));
        Assert.Empty(await ListAsync("approved"));
        Assert.Empty(await ListAsync("rejected"));
        Assert.Equal([pending], await ListAsync("pending"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/submissions/{approved}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/api/submissions/{rejected}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/api/submissions/{pending}")).StatusCode);
    }

    [Fact]
    public async Task Sign_metrics_older_than_the_retention_age_are_dropped_when_time_moves_on()
    {
        await using var server = await EmbeddedServer.StartAsync();
        await using var sign = await server.ConnectAsync("/ws/sign/ret-metrics");
        await server.WaitConnectedAsync("ret-metrics");
        async Task<int[]> CrowdCountsAsync() =>
            (await server.Http.GetFromJsonAsync<JsonElement>("/api/signs/ret-metrics/metrics?limit=1000")).GetProperty("samples").EnumerateArray()
                .Select(s => (int)s.GetProperty("values").GetProperty("crowd_count").GetDouble()).ToArray();

        await sign.SendJsonAsync(new { type = "metrics", data = new { crowd_count = 1 } });
        await sign.SendJsonAsync(new { type = "metrics", data = new { crowd_count = 2 } });
        int[] counts = [];
        await Eventually.UntilAsync(async () => (counts = await CrowdCountsAsync()).Length == 2, () => string.Join(",", counts));

        // Eight days later (RETENTION_METRICS_DAYS defaults to 7), a new sample pushes the old ones out.
        server.Clock.Advance(TimeSpan.FromDays(8));
        await sign.SendJsonAsync(new { type = "metrics", data = new { crowd_count = 3 } });
        await Eventually.UntilAsync(async () => (counts = await CrowdCountsAsync()).SequenceEqual([3]), () => string.Join(",", counts));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Submissions;

/// <summary>The per-client submission limit, and the moderation queue across a restart on the same data directory.</summary>
public sealed class SubmissionLimitAndRestartTests
{
    [Fact]
    public async Task Too_many_submissions_from_one_client_are_429_with_retry_after()
    {
        await using var server = await EmbeddedServer.StartAsync(new() { ["SUBMISSIONS_PER_CLIENT"] = "2", ["SUBMISSIONS_WINDOW_SECONDS"] = "60" });
        var bad = await server.Http.PostAsJsonAsync("/api/submissions", new { name = "", text = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode); // a bad body does not use up the limit
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await server.Http.PostAsJsonAsync("/api/submissions", new { name = "Flo", text = $"hello {i}" })).StatusCode);

        var limited = await server.Http.PostAsJsonAsync("/api/submissions", new { name = "Flo", text = "one more" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal(2, (await server.Http.GetFromJsonAsync<JsonElement>("/api/submissions")).GetArrayLength());
    }

    [Fact]
    public async Task A_restart_keeps_the_queue_and_its_order()
    {
        var data = TempDirectory.Create("submissions");
        string first, second, approved;
        await using (var before = await EmbeddedServer.StartAsync(dataDirectory: data))
        {
            first = await CreateAsync(before, new { name = "One", text = "first", contact = "one@example.com" });
            second = await CreateAsync(before, new { name = "Two", text = "second" });
            approved = await CreateAsync(before, new { name = "Three", text = "third" });
            Assert.Equal(HttpStatusCode.OK, (await before.Http.PostAsync($"/api/submissions/{approved}/approve", null)).StatusCode);
        }

        await using var after = await EmbeddedServer.StartAsync(dataDirectory: data);
        var pending = (await after.Http.GetFromJsonAsync<JsonElement>("/api/submissions")).EnumerateArray().ToArray();
        Assert.Equal([first, second], pending.Select(s => s.GetProperty("id").GetString()!).ToArray());
        Assert.Equal("one@example.com", pending[0].GetProperty("contact").GetString());
        var done = (await after.Http.GetFromJsonAsync<JsonElement>("/api/submissions?status=approved")).EnumerateArray().Single();
        Assert.Equal(approved, done.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await after.Http.PostAsync($"/api/submissions/{approved}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.Http.PostAsync($"/api/submissions/{first}/reject", null)).StatusCode);
    }

    private static async Task<string> CreateAsync(EmbeddedServer server, object body)
    {
        var response = await server.Http.PostAsJsonAsync("/api/submissions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}

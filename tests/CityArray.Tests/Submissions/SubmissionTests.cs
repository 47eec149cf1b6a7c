using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Submissions;

/// <summary>Attendee submissions over real HTTP and sockets: the moderation queue, approve to signs, reject, conflicts, bad bodies.</summary>
public sealed class SubmissionTests(SubmissionServerFixture fixture) : IClassFixture<SubmissionServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task A_submission_is_pending_in_the_queue_and_dashboards_get_it_without_the_contact()
    {
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");

        var created = await CreateAsync(new { name = "  Ana  ", text = " Hello festival! ", contact = "+573001234567", zone = "stage-a" });
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("pending", created.GetProperty("status").GetString());
        Assert.Equal("Ana", created.GetProperty("name").GetString());
        Assert.Equal("Hello festival!", created.GetProperty("text").GetString());
        Assert.Equal("web", created.GetProperty("source").GetString());
        Assert.Equal("+573001234567", created.GetProperty("contact").GetString());

        var e = await dashboard.ReceiveAsync("new_submission", m => m.GetProperty("submission").GetProperty("id").GetString() == id);
        var notice = e.GetProperty("submission");
        Assert.Equal("Hello festival!", notice.GetProperty("text").GetString());
        Assert.Equal("stage-a", notice.GetProperty("zone").GetString());
        Assert.Equal("pending", notice.GetProperty("status").GetString());
        Assert.False(notice.TryGetProperty("contact", out _));
        Assert.True(e.TryGetProperty("timestamp", out _));

        var pending = await ListAsync("/api/submissions");
        Assert.Contains(id, pending);
        Assert.Equal(pending, await ListAsync("/api/submissions?status=pending&limit=500"));
        var one = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        Assert.Equal("+573001234567", one.GetProperty("contact").GetString());
    }

    [Fact]
    public async Task The_queue_is_oldest_first_and_limited()
    {
        var first = await CreateIdAsync(new { name = "Q", text = "first" });
        var second = await CreateIdAsync(new { name = "Q", text = "second" });
        var pending = await ListAsync("/api/submissions?status=pending&limit=500");
        // Both must be listed (IndexOf would be -1 for a missing one and still compare), the first before the second.
        Assert.Contains(first, pending);
        Assert.Contains(second, pending);
        Assert.True(pending.IndexOf(first) < pending.IndexOf(second), $"{first} should come before {second}");
        Assert.Single(await ListAsync("/api/submissions?limit=1"));
    }

    [Fact]
    public async Task Approving_sends_it_to_the_signs_of_its_zone_and_tells_dashboards()
    {
        (await _server.PutJsonAsync("/api/signs/subz-1", new { name = "Sub zone 1", zone = "sub-zone" })).EnsureSuccessStatusCode();
        (await _server.PutJsonAsync("/api/signs/subz-other", new { name = "Elsewhere", zone = "sub-elsewhere" })).EnsureSuccessStatusCode();
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        await using var sign = await _server.ConnectAsync("/ws/sign/subz-1");
        await sign.ReceiveAsync("ping");

        var id = await CreateIdAsync(new { name = "Luis", text = "Great show tonight", contact = "luis@example.com", zone = "sub-zone" });
        var response = await _server.Http.PostAsync($"/api/submissions/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var approved = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        var messageId = approved.GetProperty("message_id").GetString()!;
        Assert.True(approved.TryGetProperty("moderated_at", out _));

        var shown = await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId);
        Assert.Equal("Luis: Great show tonight", shown.GetProperty("text").GetString());
        var e = await dashboard.ReceiveAsync("submission_approved", m => m.GetProperty("submission").GetProperty("id").GetString() == id);
        Assert.Equal(messageId, e.GetProperty("submission").GetProperty("message_id").GetString());
        Assert.False(e.GetProperty("submission").TryGetProperty("contact", out _));

        var report = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/messages/{messageId}");
        Assert.Equal(["subz-1"], report.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("sign_id").GetString()!).ToArray());
        Assert.DoesNotContain(id, await ListAsync("/api/submissions?status=pending&limit=500"));
        Assert.Contains(id, await ListAsync("/api/submissions?status=approved&limit=500"));

        var again = await _server.Http.PostAsync($"/api/submissions/{id}/approve", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.PostAsync($"/api/submissions/{id}/reject", null)).StatusCode);
    }

    [Fact]
    public async Task Approving_with_a_body_targets_the_given_signs()
    {
        (await _server.PutJsonAsync("/api/signs/subt-1", new { name = "T1", zone = "sub-t" })).EnsureSuccessStatusCode();
        var id = await CreateIdAsync(new { name = "Mia", text = "Hi all", zone = "sub-not-this" });
        var response = await _server.Http.PostAsJsonAsync($"/api/submissions/{id}/approve", new { sign_ids = new[] { "subt-1" }, display_seconds = 12 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messageId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString();

        await using var sign = await _server.ConnectAsync("/ws/sign/subt-1");
        var shown = await sign.ReceiveAsync("new_message", m => m.GetProperty("message_id").GetString() == messageId);
        Assert.Equal("Mia: Hi all", shown.GetProperty("text").GetString());
        Assert.Equal(12, shown.GetProperty("display_seconds").GetInt32());
    }

    [Fact]
    public async Task Rejecting_records_the_reason_and_takes_it_out_of_the_pending_queue()
    {
        await using var dashboard = await _server.ConnectAsync("/ws/dashboard");
        await dashboard.ReceiveAsync("all_signs");
        var id = await CreateIdAsync(new { name = "Rex", text = "Buy my stuff" });
        var response = await _server.Http.PostAsJsonAsync($"/api/submissions/{id}/reject", new { reason = "advertising" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rejected = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("advertising", rejected.GetProperty("moderated_reason").GetString());
        Assert.False(rejected.TryGetProperty("message_id", out _));
        await dashboard.ReceiveAsync("submission_rejected", m => m.GetProperty("submission").GetProperty("id").GetString() == id);

        Assert.DoesNotContain(id, await ListAsync("/api/submissions?limit=500"));
        Assert.Contains(id, await ListAsync("/api/submissions?status=rejected&limit=500"));
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.PostAsync($"/api/submissions/{id}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Http.PostAsync($"/api/submissions/{id}/reject", null)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_submission_is_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/api/submissions/sub-unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.PostAsync("/api/submissions/sub-unknown/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.PostAsync("/api/submissions/sub-unknown/reject", null)).StatusCode);
    }

    public static TheoryData<string, string> BadSubmissions => new()
    {
        { """{"text":"hi"}""", "name" },
        { """{"name":"","text":"hi"}""", "name" },
        { """{"name":"   ","text":"hi"}""", "name" },
        { $$"""{"name":"{{new string('n', 61)}}","text":"hi"}""", "name" },
        { """{"name":5,"text":"hi"}""", "name" },
        { """{"name":"Ana\nB","text":"hi"}""", "name" },
        { """{"name":"Ana"}""", "text" },
        { $$"""{"name":"Ana","text":"{{new string('t', 281)}}"}""", "text" },
        { """{"name":"Ana","text":"hi\u0007there"}""", "text" },
        { """{"name":"Ana","text":" ?!... , "}""", "text" },
        { """{"name":"Ana","text":"see https://example.com"}""", "text" },
        { """{"name":"Ana","text":"see HTTP://example.com"}""", "text" },
        { """{"name":"Ana","text":"visit www.example.com"}""", "text" },
        { """{"name":"Ana","text":"this is Shit"}""", "text" },
        { """{"name":"Ana","text":"hi","contact":"12345"}""", "contact" },
        { """{"name":"Ana","text":"hi","contact":"ana@"}""", "contact" },
        { """{"name":"Ana","text":"hi","contact":"+57 300 123"}""", "contact" },
        { """{"name":"Ana","text":"hi","zone":"bad zone"}""", "zone" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task Bad_submissions_are_400_naming_the_field(string json, string field)
    {
        var response = await _server.Http.PostAsync("/api/submissions", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertBadRequestAsync(response, field);
    }

    [Theory]
    [InlineData("/api/submissions?status=archived", "status")]
    [InlineData("/api/submissions?limit=0", "limit")]
    [InlineData("/api/submissions?limit=501", "limit")]
    public async Task Bad_queue_queries_are_400_naming_the_field(string path, string field) =>
        await AssertBadRequestAsync(await _server.Http.GetAsync(path), field);

    [Theory]
    [InlineData("""{"zone":"north","all":true}""", "target")]
    [InlineData("""{"sign_ids":[]}""", "sign_ids")]
    [InlineData("""{"display_seconds":0}""", "display_seconds")]
    [InlineData("""{"display_seconds":3601}""", "display_seconds")]
    public async Task Bad_approvals_are_400_and_leave_it_pending(string json, string field)
    {
        var id = await CreateIdAsync(new { name = "Bo", text = "pending still" });
        var response = await _server.Http.PostAsync($"/api/submissions/{id}/approve", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertBadRequestAsync(response, field);
        Assert.Equal("pending", (await _server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}")).GetProperty("status").GetString());
    }

    private static async Task AssertBadRequestAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith($"{field}:", problem.GetProperty("detail").GetString());
    }

    private async Task<JsonElement> CreateAsync(object body)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/submissions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> CreateIdAsync(object body) => (await CreateAsync(body)).GetProperty("id").GetString()!;

    private async Task<List<string>> ListAsync(string path) =>
        (await _server.Http.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
}

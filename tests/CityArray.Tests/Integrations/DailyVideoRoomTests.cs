using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>Daily video rooms end to end: the embedded system talks to a fake Daily on loopback.</summary>
public sealed class DailyVideoRoomTests : IAsyncLifetime
{
    private FakeDaily _daily = null!;
    private EmbeddedServer _server = null!;

    public async Task InitializeAsync()
    {
        _daily = await FakeDaily.StartNewAsync();
        _server = await EmbeddedServer.StartAsync(new()
        {
            ["DAILY_API_KEY"] = FakeDaily.Key,
            ["DAILY_DOMAIN"] = "cityarray-test",
            ["DAILY_API_BASE_URL"] = _daily.ApiBaseUrl,
            ["DAILY_RETRY_SECONDS"] = "1",
            ["INTEGRATION_TIMEOUT_SECONDS"] = "1",
            ["INTEGRATION_TOTAL_TIMEOUT_SECONDS"] = "2",
            ["INTEGRATION_RETRIES"] = "1",
            ["EVENT_MAX_HOURS"] = "5",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _daily.DisposeAsync();
    }

    private HttpClient Http => _server.Http;

    private async Task<string> RegisterAsync(string name)
    {
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> CreateEventAsync(string creatorId)
    {
        var response = await Http.PostAsJsonAsync($"/api/events?creator_id={creatorId}", new
        {
            title = "Asamblea", description = "barrio", category = "community", coordinates = new[] { -74.07, 4.71 }, address = "Plaza",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> JoinAsync(string eventId, string userId)
    {
        var response = await Http.PostAsync($"/api/events/{eventId}/join?user_id={userId}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Each_event_gets_a_room_until_its_end_owner_and_guest_tokens_and_the_room_goes_when_it_ends()
    {
        var creator = await RegisterAsync("Ana");
        var guest = await RegisterAsync("Luis");
        var created = await CreateEventAsync(creator);
        var eventId = created.GetProperty("id").GetString()!;
        var roomName = $"cityarray-{eventId}";
        Assert.Equal($"https://cityarray-test.daily.co/{roomName}", created.GetProperty("room_url").GetString());
        var exp = _daily.Rooms[roomName];
        var expectedEnd = created.GetProperty("created_at").GetDateTimeOffset().AddHours(5).ToUnixTimeSeconds();
        Assert.InRange(exp, expectedEnd - 1, expectedEnd + 1);

        var owner = await JoinAsync(eventId, creator);
        Assert.Equal(created.GetProperty("room_url").GetString(), owner.GetProperty("room_url").GetString());
        Assert.StartsWith("tok-", owner.GetProperty("token").GetString());
        var visitor = await JoinAsync(eventId, guest);
        Assert.StartsWith("tok-", visitor.GetProperty("token").GetString());
        var tokens = _daily.Tokens.ToArray();
        Assert.Equal(2, tokens.Length);
        Assert.All(tokens, t =>
        {
            Assert.Equal(roomName, t.GetProperty("room_name").GetString());
            Assert.Equal(exp, t.GetProperty("exp").GetInt64());
        });
        Assert.True(tokens[0].GetProperty("is_owner").GetBoolean());
        Assert.Equal(creator, tokens[0].GetProperty("user_id").GetString());
        Assert.Equal("Ana", tokens[0].GetProperty("user_name").GetString());
        Assert.False(tokens[1].GetProperty("is_owner").GetBoolean());

        var ended = await Http.PostAsync($"/api/events/{eventId}/end?creator_id={creator}", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Contains(roomName, _daily.Deleted);
        Assert.False(_daily.Rooms.ContainsKey(roomName));
    }

    [Fact]
    public async Task A_Daily_outage_blocks_nothing_and_the_room_appears_once_Daily_is_back()
    {
        var creator = await RegisterAsync("Ana");
        _daily.Mode = FakeMode.Stall;
        var created = await CreateEventAsync(creator);
        var eventId = created.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, created.GetProperty("room_url").ValueKind);

        _daily.Mode = FakeMode.Fail;
        var joined = await JoinAsync(eventId, creator);
        Assert.Equal(JsonValueKind.Null, joined.GetProperty("room_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, joined.GetProperty("token").ValueKind);
        var attemptsWhileDown = _daily.Requests;

        // Retried on its own (a timer every DAILY_RETRY_SECONDS, a reminder as the durable backstop).
        await Eventually.UntilAsync(() => Task.FromResult(_daily.Requests > attemptsWhileDown), () => "no retry while Daily is down");
        _daily.Mode = FakeMode.Normal;
        await Eventually.UntilAsync(async () =>
        {
            var ev = await Http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
            return ev.GetProperty("room_url").ValueKind == JsonValueKind.String;
        }, () => "the room never appeared on the event");
        Assert.True(_daily.Rooms.ContainsKey($"cityarray-{eventId}"));
        var again = await JoinAsync(eventId, creator);
        Assert.Equal($"https://cityarray-test.daily.co/cityarray-{eventId}", again.GetProperty("room_url").GetString());
        Assert.StartsWith("tok-", again.GetProperty("token").GetString());
    }

    [Fact]
    public async Task A_room_whose_deletion_failed_is_deleted_when_Daily_is_back()
    {
        var creator = await RegisterAsync("Ana");
        var eventId = (await CreateEventAsync(creator)).GetProperty("id").GetString()!;
        _daily.Mode = FakeMode.Fail;
        var ended = await Http.PostAsync($"/api/events/{eventId}/end?creator_id={creator}", null);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.True(_daily.Rooms.ContainsKey($"cityarray-{eventId}"));
        _daily.Mode = FakeMode.Normal;
        await Eventually.UntilAsync(() => Task.FromResult(_daily.Deleted.Contains($"cityarray-{eventId}")), () => "room never deleted");
    }
}

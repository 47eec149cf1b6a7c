using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Civic;

/// <summary>Civic REST and <c>WS /ws/{user_id}</c> end to end over real sockets on the embedded system (SQLite).</summary>
public sealed class CivicGatewayFlowTests : IAsyncLifetime
{
    private EmbeddedServer _server = null!;

    public async Task InitializeAsync() => _server = await EmbeddedServer.StartAsync(new()
    {
        ["COLLECTIBLE_DROP_INTERVAL_SECONDS"] = "1",
        ["COLLECTIBLE_TTL_SECONDS"] = "3",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Http => _server.Http;

    private async Task<string> RegisterAsync(string name = "Juan Perez")
    {
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(phone, body.GetProperty("phone").GetString());
        return body.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> CreateEventAsync(string creatorId, double lng = -74.0721, double lat = 4.7110)
    {
        var response = await Http.PostAsJsonAsync($"/api/events?creator_id={creatorId}", new
        {
            title = "Rock al Parque", description = "Festival", category = "music", coordinates = new[] { lng, lat }, address = "Parque Simón Bolívar",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? mentions = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (mentions is not null) Assert.Contains(mentions, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Users_register_once_per_phone_and_have_stats()
    {
        var phone = "+573001234567";
        var first = await Http.PostAsJsonAsync("/api/users/register", new { phone, name = "Juan Perez" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await AssertProblem(await Http.PostAsJsonAsync("/api/users/register", new { phone, name = "Otro" }), HttpStatusCode.Conflict);
        await AssertProblem(await Http.PostAsJsonAsync("/api/users/register", new { phone = "3001234567", name = "x" }), HttpStatusCode.BadRequest, "phone");
        await AssertProblem(await Http.PostAsJsonAsync("/api/users/register", new { phone = "+573001234568" }), HttpStatusCode.BadRequest, "name");

        var user = await Http.GetFromJsonAsync<JsonElement>($"/api/users/{id}");
        var stats = user.GetProperty("stats");
        Assert.Equal(0, stats.GetProperty("events_created").GetInt32());
        Assert.Equal(0, stats.GetProperty("events_attended").GetInt32());
        Assert.Equal(0, stats.GetProperty("collectibles_count").GetInt32());
        Assert.Equal(0, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{id}/collectibles")).GetArrayLength());
        await AssertProblem(await Http.GetAsync("/api/users/0123456789abcdef"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Events_are_created_found_joined_and_ended_by_their_creator_only()
    {
        var creator = await RegisterAsync();
        var guest = await RegisterAsync();
        var created = await CreateEventAsync(creator);
        var eventId = created.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, created.GetProperty("room_url").ValueKind);
        Assert.Equal(-74.0721, created.GetProperty("coordinates")[0].GetDouble());
        Assert.Equal("active", created.GetProperty("status").GetString());

        await AssertProblem(await Http.PostAsJsonAsync($"/api/events?creator_id={creator}",
            new { title = "x", category = "music", coordinates = new[] { 4.7110, 190.0 } }), HttpStatusCode.BadRequest, "coordinates");
        await AssertProblem(await Http.PostAsJsonAsync($"/api/events?creator_id={creator}",
            new { title = "x", category = "music", coordinates = new[] { 1.0 } }), HttpStatusCode.BadRequest, "coordinates");
        await AssertProblem(await Http.PostAsJsonAsync("/api/events", new { title = "x", category = "music", coordinates = new[] { 1.0, 2.0 } }),
            HttpStatusCode.BadRequest, "creator_id");

        var nearby = await Http.GetFromJsonAsync<JsonElement>("/api/events/nearby?lng=-74.0731&lat=4.7110&limit=100");
        var hit = nearby.EnumerateArray().Single(e => e.GetProperty("id").GetString() == eventId);
        Assert.InRange(hit.GetProperty("distance_m").GetDouble(), 100, 120);
        Assert.Equal(0, hit.GetProperty("participant_count").GetInt32());
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-74&lat=4.7&limit=101"), HttpStatusCode.BadRequest, "limit");
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-74&lat=4.7&limit=0"), HttpStatusCode.BadRequest, "limit");
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-74&lat=4.7&max_distance=60000"), HttpStatusCode.BadRequest, "max_distance");
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-74"), HttpStatusCode.BadRequest, "lat");
        var polar = await Http.GetAsync("/api/events/nearby?lng=10&lat=89.9&max_distance=50000");
        await AssertProblem(polar, HttpStatusCode.BadRequest, "lat 89.9");
        var problem = await polar.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("max_distance", problem.GetProperty("field").GetString());
        Assert.StartsWith("max_distance 50000 m around lat 89.9", problem.GetProperty("detail").GetString());
        var tooFar = await (await Http.GetAsync("/api/events/nearby?lng=-74&lat=4.7&max_distance=60000")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("max_distance must be", tooFar.GetProperty("detail").GetString()); // the field is named once

        var join = await Http.PostAsync($"/api/events/{eventId}/join?user_id={guest}", null);
        Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        var joinBody = await join.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, joinBody.GetProperty("room_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, joinBody.GetProperty("token").ValueKind);
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}")).GetProperty("participant_count").GetInt32());
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{guest}")).GetProperty("stats").GetProperty("events_attended").GetInt32());
        // Search answers from the index cells, which carry the participant count too.
        var joined = (await Http.GetFromJsonAsync<JsonElement>("/api/events/nearby?lng=-74.0731&lat=4.7110&limit=100"))
            .EnumerateArray().Single(e => e.GetProperty("id").GetString() == eventId);
        Assert.Equal(1, joined.GetProperty("participant_count").GetInt32());

        await AssertProblem(await Http.PostAsync($"/api/events/{eventId}/end?creator_id={guest}", null), HttpStatusCode.Forbidden);
        var end = await Http.PostAsync($"/api/events/{eventId}/end?creator_id={creator}", null);
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        Assert.Equal("Event ended", (await end.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        var after = await Http.GetFromJsonAsync<JsonElement>("/api/events/nearby?lng=-74.0731&lat=4.7110");
        Assert.DoesNotContain(after.EnumerateArray(), e => e.GetProperty("id").GetString() == eventId);
        await AssertProblem(await Http.GetAsync("/api/events/nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Collectibles_are_dropped_by_the_creator_and_claimed_once_over_REST()
    {
        var creator = await RegisterAsync();
        var a = await RegisterAsync();
        var b = await RegisterAsync();
        var eventId = (await CreateEventAsync(creator, 2.35, 48.85)).GetProperty("id").GetString()!;

        await AssertProblem(await Http.PostAsJsonAsync($"/api/events/{eventId}/collectibles?creator_id={a}", new { }), HttpStatusCode.Forbidden);
        await AssertProblem(await Http.PostAsJsonAsync($"/api/events/{eventId}/collectibles?creator_id={creator}", new { rarity = "mythic" }),
            HttpStatusCode.BadRequest, "rarity");
        var drop = await Http.PostAsJsonAsync($"/api/events/{eventId}/collectibles?creator_id={creator}",
            new { name = "Golden Ticket", rarity = "legendary", ttl_seconds = 60 });
        Assert.Equal(HttpStatusCode.Created, drop.StatusCode);
        var collectibleId = (await drop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal($"/api/collectibles/{collectibleId}", drop.Headers.Location?.OriginalString);
        var located = await Http.GetFromJsonAsync<JsonElement>(drop.Headers.Location);
        var tooSoon = await Http.PostAsJsonAsync($"/api/events/{eventId}/collectibles?creator_id={creator}", new { });
        await AssertProblem(tooSoon, (HttpStatusCode)429, "at most one manual drop every 2 s");
        Assert.InRange(int.Parse(tooSoon.Headers.GetValues("Retry-After").Single()), 1, 2);
        Assert.Equal(collectibleId, located.GetProperty("id").GetString());
        Assert.Equal("Golden Ticket", located.GetProperty("name").GetString());
        var active = await Http.GetFromJsonAsync<JsonElement>($"/api/collectibles/active/{eventId}");
        Assert.Contains(active.EnumerateArray(), c => c.GetProperty("id").GetString() == collectibleId);

        var claims = await Task.WhenAll(new[] { a, b, a, b }.Select(u => Http.PostAsync($"/api/collectibles/claim?collectible_id={collectibleId}&user_id={u}", null)));
        var results = await Task.WhenAll(claims.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        var winners = results.Where(r => r.GetProperty("success").GetBoolean()).ToList();
        Assert.Equal(2, winners.Count); // the winner's retry succeeds too
        var winner = winners[0].GetProperty("collectible").GetProperty("claimed_by").GetString()!;
        Assert.All(results.Where(r => !r.GetProperty("success").GetBoolean()), r => Assert.Equal("already_claimed", r.GetProperty("reason").GetString()));
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{winner}")).GetProperty("stats").GetProperty("collectibles_count").GetInt32());
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{winner}/collectibles")).GetArrayLength());
        Assert.Empty((await Http.GetFromJsonAsync<JsonElement>($"/api/collectibles/active/{eventId}")).EnumerateArray());
        Assert.Equal(winner, (await Http.GetFromJsonAsync<JsonElement>($"/api/collectibles/{collectibleId}")).GetProperty("claimed_by").GetString());
    }

    [Fact]
    public async Task Unknown_ids_are_404s_titled_by_what_is_unknown()
    {
        var user = await RegisterAsync();
        var cases = new (string Path, HttpMethod Method, string Title)[]
        {
            ("/api/collectibles/0123456789abcdef", HttpMethod.Get, "Unknown collectible"),
            ("/api/users/0123456789abcdef", HttpMethod.Get, "Unknown user"),
            ("/api/users/0123456789abcdef/collectibles", HttpMethod.Get, "Unknown user"),
            ("/api/events/0123456789abcdef", HttpMethod.Get, "Unknown event"),
            ($"/api/events/0123456789abcdef/join?user_id={user}", HttpMethod.Post, "Unknown event"),
        };
        foreach (var (path, method, title) in cases)
        {
            var response = await Http.SendAsync(new HttpRequestMessage(method, path));
            await AssertProblem(response, HttpStatusCode.NotFound);
            Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task User_sockets_get_joins_chat_drops_claims_and_nearby_events()
    {
        var creator = await RegisterAsync();
        var ana = await RegisterAsync("Ana");
        var ben = await RegisterAsync("Ben");
        var eventId = (await CreateEventAsync(creator, -3.70, 40.42)).GetProperty("id").GetString()!;

        await using var anaSocket = await _server.ConnectAsync($"/ws/{ana}");
        await using var benSocket = await _server.ConnectAsync($"/ws/{ben}");

        await anaSocket.SendJsonAsync(new { type = "location_update", coordinates = new[] { -3.701, 40.42 } });
        var nearby = await anaSocket.ReceiveAsync("nearby_events");
        var hit = nearby.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("id").GetString() == eventId);
        Assert.True(hit.GetProperty("distance_m").GetDouble() > 0);
        Assert.True(nearby.TryGetProperty("timestamp", out _));

        await anaSocket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await anaSocket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ana);
        await benSocket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        var joined = await anaSocket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ben);
        Assert.Equal(eventId, joined.GetProperty("event_id").GetString());

        await anaSocket.SendJsonAsync(new { type = "chat_message", event_id = eventId, message = "¡Hola!" });
        var chat = await benSocket.ReceiveAsync("chat_message");
        Assert.Equal("¡Hola!", chat.GetProperty("message").GetString());
        Assert.Equal(ana, chat.GetProperty("user_id").GetString());

        var drop = await benSocket.ReceiveAsync("collectible_drop", timeout: TimeSpan.FromSeconds(10));
        Assert.Equal(3, drop.GetProperty("expires_in").GetInt32());
        var collectibleId = drop.GetProperty("collectible").GetProperty("id").GetString();
        await benSocket.SendJsonAsync(new { type = "claim_collectible", collectible_id = collectibleId });
        var won = await benSocket.ReceiveAsync("claim_result");
        Assert.True(won.GetProperty("result").GetProperty("success").GetBoolean());
        await anaSocket.SendJsonAsync(new { type = "claim_collectible", collectible_id = collectibleId });
        var lost = await anaSocket.ReceiveAsync("claim_result");
        Assert.False(lost.GetProperty("result").GetProperty("success").GetBoolean());
        Assert.Contains("already claimed", lost.GetProperty("result").GetProperty("message").GetString());

        await benSocket.SendJsonAsync(new { type = "leave_event", event_id = eventId });
        await anaSocket.ReceiveAsync("user_left", m => m.GetProperty("user_id").GetString() == ben);
    }

    [Fact]
    public async Task Joining_again_or_leaving_without_joining_still_answers_the_socket()
    {
        var creator = await RegisterAsync();
        var ana = await RegisterAsync("Ana");
        var eventId = (await CreateEventAsync(creator, 2.35, 48.85)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/events/{eventId}/join?user_id={ana}", null)).StatusCode);

        await using (var first = await _server.ConnectAsync($"/ws/{ana}"))
        {
            await first.SendJsonAsync(new { type = "join_event", event_id = eventId }); // joined over REST already
            var joined = await first.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ana);
            Assert.Equal(eventId, joined.GetProperty("event_id").GetString());
        }
        await using var second = await _server.ConnectAsync($"/ws/{ana}"); // a reconnect
        await second.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await second.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ana);
        await second.SendJsonAsync(new { type = "chat_message", event_id = eventId, message = "still here" });
        await second.ReceiveAsync("chat_message", m => m.GetProperty("message").GetString() == "still here");

        var other = (await CreateEventAsync(creator, 2.36, 48.86)).GetProperty("id").GetString()!;
        await second.SendJsonAsync(new { type = "leave_event", event_id = other }); // never joined
        var left = await second.ReceiveAsync("user_left");
        Assert.Equal(other, left.GetProperty("event_id").GetString());
        Assert.Equal(ana, left.GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task A_participant_joining_again_gets_what_is_still_claimable_from_the_events_state()
    {
        var creator = await RegisterAsync();
        var ana = await RegisterAsync("Ana");
        var eventId = (await CreateEventAsync(creator, 13.40, 52.52)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/events/{eventId}/join?user_id={ana}", null)).StatusCode);
        var events = _server.Services.GetRequiredService<IGrainFactory>().GetGrain<IEventGrain>(eventId);
        IReadOnlyList<CollectibleView> dropped = [];
        await Eventually.UntilAsync(async () => (dropped = await events.GetActiveCollectiblesAsync()).Count > 0);

        // Dropped while no socket of hers listened: a reconnect (to any gateway) gets it on joining again.
        await using var socket = await _server.ConnectAsync($"/ws/{ana}");
        await socket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await socket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ana);
        var ids = dropped.Select(c => c.Id).ToHashSet();
        var caughtUp = await socket.ReceiveAsync("collectible_drop", m => ids.Contains(m.GetProperty("collectible").GetProperty("id").GetString()!),
            TimeSpan.FromSeconds(2));
        Assert.InRange(caughtUp.GetProperty("expires_in").GetInt32(), 1, 3);
    }

    [Fact]
    public async Task Bad_socket_messages_get_errors_and_the_socket_stays_open()
    {
        var creator = await RegisterAsync();
        var user = await RegisterAsync();
        var eventId = (await CreateEventAsync(creator, 139.69, 35.68)).GetProperty("id").GetString()!;
        await using var socket = await _server.ConnectAsync($"/ws/{user}");

        await socket.SendJsonAsync(new { type = "dance" });
        Assert.Equal("unknown_type", (await socket.ReceiveAsync("error")).GetProperty("code").GetString());
        await socket.SendJsonAsync(new { type = "location_update", coordinates = new[] { 35.68, 139.69 } });
        Assert.Contains("latitude", (await socket.ReceiveAsync("error")).GetProperty("message").GetString());
        await socket.SendJsonAsync(new { type = "chat_message", event_id = eventId, message = "hola" });
        var forbidden = await socket.ReceiveAsync("error");
        Assert.Equal("forbidden", forbidden.GetProperty("code").GetString());
        Assert.Equal("chat_message", forbidden.GetProperty("in_reply_to").GetString());
        await socket.SendJsonAsync(new { type = "join_event", event_id = "0123456789abcdef" });
        Assert.Equal("not_found", (await socket.ReceiveAsync("error")).GetProperty("code").GetString());

        await socket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await socket.ReceiveAsync("user_joined");
        for (var i = 0; i < 6; i++) await socket.SendJsonAsync(new { type = "chat_message", event_id = eventId, message = $"m{i}" });
        Assert.Equal("rate_limited", (await socket.ReceiveAsync("error")).GetProperty("code").GetString());

        await using var stranger = await _server.ConnectAsync("/ws/0123456789abcdef");
        Assert.Equal("unknown_user", (await stranger.ReceiveAsync("error")).GetProperty("code").GetString());
        await stranger.WaitClosedAsync();
    }
}

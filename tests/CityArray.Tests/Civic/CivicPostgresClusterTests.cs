using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Silo.Hosting;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Postgres;

namespace CityArray.Tests.Civic;

/// <summary>
/// A real cluster for the civic tests, started once per class: a fresh PostgreSQL database, two silo processes
/// and a gateway process, with 2 s drops and a 15 s collectible TTL (room for a slow CI machine to race the claims). Nothing starts when PostgreSQL tests are skipped.
/// </summary>
public sealed class CivicPostgresClusterFixture : IAsyncLifetime
{
    public PostgresTestDatabase Database { get; } = new();
    public HttpClient Http { get; private set; } = null!;
    public int Port { get; private set; }
    private readonly List<AppProcess> _processes = [];

    public string Output => string.Join("\n---\n", _processes.Select(p => p.Output));

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        if (Database.Url is null) return;
        var cluster = $"civic-{Guid.NewGuid():N}"[..20];
        Dictionary<string, string> Env(params (string Key, string Value)[] extra)
        {
            var env = new Dictionary<string, string>
            {
                ["DATABASE_URL"] = Database.Url!,
                ["ORLEANS_CLUSTER_ID"] = cluster,
                ["COLLECTIBLE_DROP_INTERVAL_SECONDS"] = "2",
                ["COLLECTIBLE_TTL_SECONDS"] = "15",
            };
            foreach (var (key, value) in ClusterSecurity.Env) env[key] = value;
            foreach (var (key, value) in extra) env[key] = value;
            return env;
        }

        try
        {
            for (var i = 0; i < 2; i++)
                _processes.Add(AppProcess.Start("Silo", Env(("ORLEANS_SILO_PORT", FreePort.Find().ToString()), ("ORLEANS_GATEWAY_PORT", FreePort.Find().ToString()))));
            Port = FreePort.Find();
            var gateway = AppProcess.Start("Gateway", Env(("PORT", Port.ToString()), ("HOST", "127.0.0.1")));
            _processes.Add(gateway);
            await gateway.WaitHealthyAsync($"http://127.0.0.1:{Port}/ready", TimeSpan.FromSeconds(90));
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };

            // Both silos joined, so grains spread over two processes.
            await using var db = await Database.OpenAsync();
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @c AND status = 3";
            count.Parameters.AddWithValue("c", cluster);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Convert.ToInt32(await count.ExecuteScalarAsync()) < 2)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"two active silos expected\n{Output}");
                await Task.Delay(500);
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    private long _phone = 3_100_000_000 + Random.Shared.Next(0, 1_000_000) * 100L;

    /// <summary>A phone number no other test of this cluster registered.</summary>
    public string NextPhone() => "+57" + Interlocked.Increment(ref _phone);

    /// <summary>The session token each user registered on this cluster got, by user id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens { get; } = new();

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        // Gateway first, then the silos.
        for (var i = _processes.Count - 1; i >= 0; i--) await _processes[i].DisposeAsync();
        _processes.Clear();
        await Database.DisposeAsync();
    }
}

/// <summary>Civic REST and user sockets end to end on a real cluster: two silo processes and a gateway on PostgreSQL.</summary>
[Collection(HeavyCollection.Name)]
public sealed class CivicPostgresClusterTests(CivicPostgresClusterFixture cluster) : IClassFixture<CivicPostgresClusterFixture>
{
    private HttpClient Http => cluster.Http;

    private System.Collections.Concurrent.ConcurrentDictionary<string, string> Tokens => cluster.Tokens;

    /// <summary>A POST as <paramref name="userId"/> (its session token from registration, or a minted one for an unknown id).</summary>
    private Task<HttpResponseMessage> PostAs(string userId, string path, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.GetValueOrDefault(userId) ?? ClusterSecurity.UserToken(userId));
        return Http.SendAsync(request);
    }

    private Task<JsonElement> GetAs(string userId, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens[userId]);
        return Http.SendAsync(request).ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonElement>()).Unwrap();
    }

    private async Task<string> RegisterAsync(string name = "Juan Perez")
    {
        var phone = cluster.NextPhone();
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{cluster.Output}");
        var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = registered.GetProperty("id").GetString()!;
        Tokens[id] = registered.GetProperty("token").GetString()!;
        return id;
    }

    private async Task<string> CreateEventAsync(string creatorId, string title, double lng, double lat)
    {
        var response = await PostAs(creatorId, $"/api/events?creator_id={creatorId}",
            new { title, description = "test", category = "Music", coordinates = new[] { lng, lat }, address = "somewhere" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("music", body.GetProperty("category").GetString());
        return body.GetProperty("id").GetString()!;
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? mentions = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (mentions is not null) Assert.Contains(mentions, text);
    }

    [SkippableFact]
    public async Task Registration_nearby_search_and_bad_inputs_work_on_two_silos_and_a_gateway()
    {
        Skip.If(cluster.Database.Url is null, PostgresTestDatabase.SkipReason);

        // Concurrent registrations of one phone: exactly one is created, the rest are conflicts.
        var phone = cluster.NextPhone();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Http.PostAsJsonAsync("/api/users/register", new { phone, name = $"Twin {i}" })));
        var created = attempts.Where(r => r.IsSuccessStatusCode).ToList();
        Assert.True(created.Count == 1, $"one 2xx expected: {string.Join(", ", attempts.Select(a => (int)a.StatusCode))}");
        Assert.Equal(HttpStatusCode.Created, created[0].StatusCode);
        foreach (var conflict in attempts.Where(r => !r.IsSuccessStatusCode)) await AssertProblem(conflict, HttpStatusCode.Conflict);
        var twinRegistered = await created[0].Content.ReadFromJsonAsync<JsonElement>();
        var twin = twinRegistered.GetProperty("id").GetString()!;
        Tokens[twin] = twinRegistered.GetProperty("token").GetString()!;
        Assert.Equal(phone, (await GetAs(twin, $"/api/users/{twin}")).GetProperty("phone").GetString());
        Assert.False((await Http.GetFromJsonAsync<JsonElement>($"/api/users/{twin}")).TryGetProperty("phone", out _));

        // Events east of a point in Bogotá at about 110 m, 1.1 km and 3.3 km, and one 22 km away (outside 5 km).
        var creator = await RegisterAsync();
        const double lng = -74.0721, lat = 4.7110;
        var far = await CreateEventAsync(creator, "far", lng + 0.03, lat);
        var near = await CreateEventAsync(creator, "near", lng + 0.001, lat);
        var outside = await CreateEventAsync(creator, "outside", lng + 0.2, lat);
        var mid = await CreateEventAsync(creator, "mid", lng + 0.01, lat);

        var nearby = (await Http.GetFromJsonAsync<JsonElement>($"/api/events/nearby?lng={lng}&lat={lat}")).EnumerateArray().ToList();
        Assert.Equal(new[] { near, mid, far }, nearby.Select(e => e.GetProperty("id").GetString()!).ToArray());
        var distances = nearby.Select(e => e.GetProperty("distance_m").GetDouble()).ToArray();
        Assert.InRange(distances[0], 100, 120);
        Assert.InRange(distances[1], 1_050, 1_170);
        Assert.InRange(distances[2], 3_200, 3_450);
        var wide = (await Http.GetFromJsonAsync<JsonElement>($"/api/events/nearby?lng={lng}&lat={lat}&max_distance=30000")).EnumerateArray();
        Assert.Contains(wide, e => e.GetProperty("id").GetString() == outside);
        Assert.Equal(4, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{creator}")).GetProperty("stats").GetProperty("events_created").GetInt32());

        // Only the creator ends an event; an ended event leaves the search at once.
        await AssertProblem(await PostAs(twin, $"/api/events/{near}/end?creator_id={twin}"), HttpStatusCode.Forbidden);
        await AssertProblem(await PostAs(twin, $"/api/events/{near}/end?creator_id={creator}"), HttpStatusCode.Forbidden);
        await AssertProblem(await Http.PostAsync($"/api/events/{near}/end?creator_id={creator}", null), HttpStatusCode.Unauthorized);
        var end = await PostAs(creator, $"/api/events/{near}/end?creator_id={creator}");
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        var after = (await Http.GetFromJsonAsync<JsonElement>($"/api/events/nearby?lng={lng}&lat={lat}")).EnumerateArray();
        Assert.Equal(new[] { mid, far }, after.Select(e => e.GetProperty("id").GetString()!).ToArray());
        Assert.Equal("ended", (await Http.GetFromJsonAsync<JsonElement>($"/api/events/{near}")).GetProperty("status").GetString());

        // Bad inputs are 4xx problem details.
        await AssertProblem(await Http.PostAsJsonAsync("/api/users/register", new { phone = "3001234567", name = "x" }), HttpStatusCode.BadRequest, "phone");
        await AssertProblem(await Http.PostAsJsonAsync("/api/users/register", new { phone = "+57 300 123", name = "x" }), HttpStatusCode.BadRequest, "phone");
        await AssertProblem(await PostAs(creator, $"/api/events?creator_id={creator}",
            new { title = "Tokyo, swapped", category = "music", coordinates = new[] { 35.68, 139.69 } }), HttpStatusCode.BadRequest, "coordinates");
        await AssertProblem(await PostAs(creator, $"/api/events?creator_id={creator}",
            new { title = "out of range", category = "music", coordinates = new[] { 190.0, 4.7 } }), HttpStatusCode.BadRequest, "coordinates");
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-74.07&lat=100"), HttpStatusCode.BadRequest, "lat");
        await AssertProblem(await Http.GetAsync("/api/events/nearby?lng=-200&lat=4.7"), HttpStatusCode.BadRequest, "lng");
        await AssertProblem(await Http.GetAsync($"/api/events/nearby?lng={lng}&lat={lat}&max_distance=0"), HttpStatusCode.BadRequest, "max_distance");
        await AssertProblem(await Http.GetAsync("/api/users/0123456789abcdef"), HttpStatusCode.NotFound);
        await AssertProblem(await Http.GetAsync("/api/events/0123456789abcdef"), HttpStatusCode.NotFound);
        await AssertProblem(await PostAs(twin, $"/api/events/0123456789abcdef/join?user_id={twin}"), HttpStatusCode.NotFound);
        await AssertProblem(await PostAs("0123456789abcdef", "/api/events?creator_id=0123456789abcdef",
            new { title = "nobody's", category = "music", coordinates = new[] { lng, lat } }), HttpStatusCode.NotFound, "0123456789abcdef");
        await AssertProblem(await PostAs(twin, $"/api/collectibles/claim?user_id={twin}"), HttpStatusCode.BadRequest, "collectible_id");
        await AssertProblem(await Http.GetAsync("/api/users/bad%20id!"), HttpStatusCode.BadRequest, "user_id");
        var unknownClaim = await PostAs(twin, $"/api/collectibles/claim?collectible_id=0123456789abcdef&user_id={twin}");
        Assert.Equal(HttpStatusCode.OK, unknownClaim.StatusCode); // claims always answer 200 with success and reason
        var unknownResult = await unknownClaim.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(unknownResult.GetProperty("success").GetBoolean());
        Assert.Equal("not_active", unknownResult.GetProperty("reason").GetString());
    }

    [SkippableFact]
    public async Task Sockets_get_fan_out_and_a_timed_drop_has_exactly_one_winner_on_two_silos_and_a_gateway()
    {
        Skip.If(cluster.Database.Url is null, PostgresTestDatabase.SkipReason);
        var creator = await RegisterAsync("Creator");
        var ana = await RegisterAsync("Ana");
        var ben = await RegisterAsync("Ben");
        var carl = await RegisterAsync("Carl");
        var claimers = new string[100];
        await Parallel.ForEachAsync(Enumerable.Range(0, claimers.Length), new ParallelOptions { MaxDegreeOfParallelism = 20 },
            async (i, _) => claimers[i] = await RegisterAsync($"Claimer {i}"));
        var eventId = await CreateEventAsync(creator, "Verbena", -3.70, 40.42);

        await using var anaSocket = await WsClient.ConnectAsync(cluster.WebSocketUri($"/ws/{ana}?access_token={Tokens[ana]}"));
        await using var benSocket = await WsClient.ConnectAsync(cluster.WebSocketUri($"/ws/{ben}?access_token={Tokens[ben]}"));
        await using var carlSocket = await WsClient.ConnectAsync(cluster.WebSocketUri($"/ws/{carl}?access_token={Tokens[carl]}"));

        await anaSocket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await anaSocket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ana, TimeSpan.FromSeconds(15));
        await benSocket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await benSocket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ben, TimeSpan.FromSeconds(15));
        var joined = await anaSocket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == ben, TimeSpan.FromSeconds(15));
        Assert.Equal(eventId, joined.GetProperty("event_id").GetString());

        await anaSocket.SendJsonAsync(new { type = "chat_message", event_id = eventId, message = "¡Hola!" });
        var chat = await benSocket.ReceiveAsync("chat_message", timeout: TimeSpan.FromSeconds(15));
        Assert.Equal("¡Hola!", chat.GetProperty("message").GetString());
        Assert.Equal(ana, chat.GetProperty("user_id").GetString());
        await anaSocket.ReceiveAsync("chat_message", timeout: TimeSpan.FromSeconds(15));

        // Warm the connection pool, so the claims race the collectible rather than TCP handshakes.
        await Task.WhenAll(Enumerable.Range(0, claimers.Length).Select(_ => Http.GetAsync("/ready")));

        // A drop arrives on the 2 s interval; 100 concurrent REST claims within its 15 s TTL give exactly one winner.
        var drop = await benSocket.ReceiveAsync("collectible_drop", timeout: TimeSpan.FromSeconds(20));
        var collectibleId = drop.GetProperty("collectible").GetProperty("id").GetString()!;
        var responses = await Task.WhenAll(claimers.Select(u => PostAs(u, $"/api/collectibles/claim?collectible_id={collectibleId}&user_id={u}")));
        Assert.Equal(15, drop.GetProperty("expires_in").GetInt32());
        await anaSocket.ReceiveAsync("collectible_drop", m => m.GetProperty("collectible").GetProperty("id").GetString() == collectibleId);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var results = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        var winners = results.Where(r => r.GetProperty("success").GetBoolean()).ToList();
        Assert.True(winners.Count == 1, "exactly one winner expected: " + string.Join(", ", results.Select(r => r.GetProperty("reason").GetString()).Distinct()));
        Assert.All(results.Where(r => !r.GetProperty("success").GetBoolean()), r => Assert.Equal("already_claimed", r.GetProperty("reason").GetString()));
        var winner = winners[0].GetProperty("collectible").GetProperty("claimed_by").GetString()!;
        Assert.Contains(winner, claimers);
        Assert.Equal(1, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{winner}")).GetProperty("stats").GetProperty("collectibles_count").GetInt32());

        // Ben leaves: Ana hears it. Carl never joined and heard nothing of the event.
        await benSocket.SendJsonAsync(new { type = "leave_event", event_id = eventId });
        await anaSocket.ReceiveAsync("user_left", m => m.GetProperty("user_id").GetString() == ben, TimeSpan.FromSeconds(15));
        Assert.Empty(carlSocket.History);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, carlSocket.State);
        var end = await PostAs(creator, $"/api/events/{eventId}/end?creator_id={creator}");
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
    }
}

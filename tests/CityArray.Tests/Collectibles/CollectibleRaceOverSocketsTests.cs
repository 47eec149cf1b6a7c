using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CityArray.Tests.Collectibles;

/// <summary>
/// 500 users race for one collectible on the embedded system over real loopback sockets: half claim over REST,
/// half over their own <c>WS /ws/{user_id}</c>. Exactly one wins across both paths, and the win counts once.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class CollectibleRaceOverSocketsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Claimers = 500;
    private const int Parallelism = 50;

    private EmbeddedServer _server = null!;

    public async Task InitializeAsync() => _server = await EmbeddedServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Http => _server.Http;

    private async Task<string> RegisterAsync(int index)
    {
        var phone = $"+57310{index:D7}";
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name = $"Claimer {index}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> ClaimOverRestAsync(string collectibleId, string userId)
    {
        var response = await Http.PostAsync($"/api/collectibles/claim?collectible_id={collectibleId}&user_id={userId}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Exactly_one_of_500_concurrent_claimers_over_REST_and_sockets_wins()
    {
        var clock = Stopwatch.StartNew();
        var creator = await RegisterAsync(Claimers);
        var users = new string[Claimers];
        await Parallel.ForEachAsync(Enumerable.Range(0, Claimers), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (i, _) => users[i] = await RegisterAsync(i));
        Assert.Equal(Claimers, users.Distinct().Count());
        output.WriteLine($"registered {Claimers} users in {clock.Elapsed}");

        var created = await Http.PostAsJsonAsync($"/api/events?creator_id={creator}", new
        {
            title = "Carrera de coleccionables", description = "race", category = "games", coordinates = new[] { -74.0721, 4.7110 }, address = "Bogotá",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var eventId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Half the claimers hold their own socket; connect them in parallel batches.
        var restUsers = users[..(Claimers / 2)];
        var socketUsers = users[(Claimers / 2)..];
        var sockets = new WsClient[socketUsers.Length];
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, socketUsers.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
                async (i, _) => sockets[i] = await WsClient.ConnectAsync(_server.WebSocketUri($"/ws/{socketUsers[i]}"), receiveBufferSize: 64 * 1024));
            output.WriteLine($"connected {sockets.Length} sockets at {clock.Elapsed}");

            var drop = await Http.PostAsJsonAsync($"/api/events/{eventId}/collectibles?creator_id={creator}",
                new { name = "Golden Ticket", rarity = "legendary", ttl_seconds = 120 });
            Assert.Equal(HttpStatusCode.Created, drop.StatusCode);
            var collectibleId = (await drop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Everyone waits at the gate, then all 500 claims go at once.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var restClaims = restUsers.Select(async user =>
            {
                await gate.Task;
                return (User: user, Path: "rest", Result: await ClaimOverRestAsync(collectibleId, user));
            }).ToArray();
            var socketClaims = socketUsers.Select(async (user, i) =>
            {
                await gate.Task;
                await sockets[i].SendJsonAsync(new { type = "claim_collectible", collectible_id = collectibleId });
                var message = await sockets[i].ReceiveAsync("claim_result", timeout: TimeSpan.FromSeconds(30));
                return (User: user, Path: "ws", Result: message.GetProperty("result"));
            }).ToArray();
            var raceClock = Stopwatch.StartNew();
            gate.SetResult();
            var results = await Task.WhenAll(restClaims.Concat(socketClaims));
            output.WriteLine($"{results.Length} claims answered in {raceClock.Elapsed} (total {clock.Elapsed})");

            Assert.Equal(Claimers, results.Length);
            var winners = results.Where(r => r.Result.GetProperty("success").GetBoolean()).ToList();
            var winner = Assert.Single(winners);
            output.WriteLine($"winner {winner.User} over {winner.Path}");
            Assert.Equal(winner.User, winner.Result.GetProperty("collectible").GetProperty("claimed_by").GetString());
            Assert.Equal(collectibleId, winner.Result.GetProperty("collectible").GetProperty("id").GetString());
            foreach (var loser in results.Where(r => !r.Result.GetProperty("success").GetBoolean()))
            {
                Assert.Equal("already_claimed", loser.Result.GetProperty("reason").GetString());
                Assert.Contains("already claimed", loser.Result.GetProperty("message").GetString());
            }
            Assert.All(sockets, s => Assert.DoesNotContain(s.History, m => m.GetProperty("type").GetString() == "error"));

            // The win counts once, and a retry by the winner (over either path) succeeds without counting twice.
            var retry = await ClaimOverRestAsync(collectibleId, winner.User);
            Assert.True(retry.GetProperty("success").GetBoolean());
            if (winner.Path == "ws")
            {
                var socket = sockets[Array.IndexOf(socketUsers, winner.User)];
                await socket.SendJsonAsync(new { type = "claim_collectible", collectible_id = collectibleId });
                Assert.True((await socket.ReceiveAsync("claim_result")).GetProperty("result").GetProperty("success").GetBoolean());
            }
            var profile = await Http.GetFromJsonAsync<JsonElement>($"/api/users/{winner.User}");
            Assert.Equal(1, profile.GetProperty("stats").GetProperty("collectibles_count").GetInt32());
            var inventory = await Http.GetFromJsonAsync<JsonElement>($"/api/users/{winner.User}/collectibles");
            Assert.Equal(collectibleId, Assert.Single(inventory.EnumerateArray()).GetProperty("id").GetString());

            // A loser's inventory stays empty, and the collectible is no longer active.
            var aLoser = results.First(r => r.User != winner.User).User;
            Assert.Equal(0, (await Http.GetFromJsonAsync<JsonElement>($"/api/users/{aLoser}")).GetProperty("stats").GetProperty("collectibles_count").GetInt32());
            Assert.Empty((await Http.GetFromJsonAsync<JsonElement>($"/api/collectibles/active/{eventId}")).EnumerateArray());
            output.WriteLine($"done in {clock.Elapsed}");
        }
        finally
        {
            await Task.WhenAll(sockets.Where(s => s is not null).Select(s => s.DisposeAsync().AsTask()));
        }
    }
}

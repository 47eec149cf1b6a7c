using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Signs;

/// <summary>
/// Many new signs registering at once (sockets connecting and PUTs) on the embedded SQLite server: the directory shards
/// batch their writes, and a restart right after still knows every sign, with its zone.
/// </summary>
public sealed class SignDirectoryStormTests
{
    [Fact]
    public async Task Signs_registered_in_a_storm_are_all_known_after_a_restart()
    {
        var data = TempDirectory.Create("directory-storm");
        var socketSigns = Enumerable.Range(0, 120).Select(i => $"storm-ws-{i:000}").ToArray();
        var putSigns = Enumerable.Range(0, 60).Select(i => $"storm-put-{i:000}").ToArray();
        var sockets = new List<WsClient>();
        await using (var server = await EmbeddedServer.StartAsync(dataDirectory: data))
        {
            var connects = socketSigns.Select(id => server.ConnectAsync($"/ws/sign/{id}")).ToArray();
            var puts = putSigns.Select((id, i) => server.PutJsonAsync($"/api/signs/{id}", new { name = id, zone = i % 2 == 0 ? "east" : "west" })).ToArray();
            sockets.AddRange(await Task.WhenAll(connects));
            Assert.All(await Task.WhenAll(puts), r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
            await Eventually.UntilAsync(async () =>
                (await server.Http.GetFromJsonAsync<JsonElement>("/api/signs")).EnumerateArray().Count(s => s.GetProperty("connected").GetBoolean()) == socketSigns.Length,
                () => "every socket sign connected", TimeSpan.FromSeconds(60));
            foreach (var socket in sockets) await socket.DisposeAsync();
        }

        await using var restarted = await EmbeddedServer.StartAsync(dataDirectory: data);
        var signs = await restarted.Http.GetFromJsonAsync<JsonElement>("/api/signs");
        var known = signs.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s);
        Assert.Equal(socketSigns.Concat(putSigns).Order(StringComparer.Ordinal), known.Keys.Order(StringComparer.Ordinal));
        Assert.All(putSigns.Select((id, i) => (id, i)), p =>
            Assert.Equal(p.i % 2 == 0 ? "east" : "west", known[p.id].GetProperty("zone").GetString()));
    }
}

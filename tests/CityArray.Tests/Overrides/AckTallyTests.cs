using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Tests.Infrastructure;
using CityArray.Tests.Retention;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace CityArray.Tests.Overrides;

/// <summary>
/// An ack a sign sent is counted in its override's or message's tally even when the tally's storage refused it for a
/// while and the grain holding it went away meanwhile (as when its silo dies): the gateway keeps each batch until the
/// grain has stored it. Storage refuses through a real SQLite trigger on the tally's row.
/// </summary>
public sealed class AckTallyTests(QuietSignsServerFixture fixture) : IClassFixture<QuietSignsServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task An_override_ack_the_storage_refused_is_counted_once_it_recovers_even_after_the_grain_went_away()
    {
        string[] signIds = ["tally-o1", "tally-o2"];
        var signs = await ConnectAsync(signIds);
        var created = await PostAsync("/api/overrides", new { text = "Shelter", sign_ids = signIds });
        var id = created.GetProperty("override_id").GetString()!;

        await using (await RefuseWritesAsync(id))
        {
            await AckAllAsync(signs, "override", "override_id", id);
            // Only what is stored counts: the refused batch is not shown, and the gateway keeps sending it.
            await Task.Delay(1000);
            Assert.Equal(0, (await GetAsync($"/api/overrides/{id}")).GetProperty("acked").GetInt32());
            await _server.Services.GetRequiredService<IClusterClient>().GetGrain<IOverrideGrain>(id).Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }

        var tally = default(JsonElement);
        await Eventually.UntilAsync(async () => (tally = await GetAsync($"/api/overrides/{id}")).GetProperty("acked").GetInt32() == 2,
            () => tally.ToString());
        Assert.Empty(tally.GetProperty("not_acked").EnumerateArray());
        await DisposeAllAsync(signs);
    }

    [Fact]
    public async Task A_message_ack_the_storage_refused_is_counted_once_it_recovers_even_after_the_grain_went_away()
    {
        string[] signIds = ["tally-m1", "tally-m2"];
        var signs = await ConnectAsync(signIds);
        var id = (await PostAsync("/api/messages", new { text = "Gates open", sign_ids = signIds })).GetProperty("message_id").GetString()!;

        await using (await RefuseWritesAsync(id))
        {
            await AckAllAsync(signs, "new_message", "message_id", id);
            await _server.Services.GetRequiredService<IClusterClient>().GetGrain<IMessageGrain>(id).Cast<IGrainManagementExtension>().DeactivateOnIdle();
            await Task.Delay(500);
        }

        var report = default(JsonElement);
        await Eventually.UntilAsync(async () => (report = await GetAsync($"/api/messages/{id}")).GetProperty("deliveries").EnumerateArray()
            .Count(d => d.GetProperty("state").GetString() == "acked") == 2, () => report.ToString());
        await DisposeAllAsync(signs);
    }

    private async Task<WsClient[]> ConnectAsync(string[] signIds)
    {
        foreach (var id in signIds)
            (await _server.PutJsonAsync($"/api/signs/{id}", new { name = id })).EnsureSuccessStatusCode();
        var signs = await Task.WhenAll(signIds.Select(id => _server.ConnectAsync($"/ws/sign/{id}")));
        await _server.WaitConnectedAsync(signIds);
        return signs;
    }

    private static async Task AckAllAsync(WsClient[] signs, string type, string idProperty, string id)
    {
        foreach (var sign in signs)
        {
            await sign.ReceiveAsync(type, m => m.GetProperty(idProperty).GetString() == id);
            await sign.SendJsonAsync(new { type = "ack", message_id = id });
        }
        // The acks were taken (an unknown id would be answered with an error at once).
        await Task.Delay(300);
        foreach (var sign in signs)
            Assert.DoesNotContain(sign.History, m => m.GetProperty("type").GetString() == "error");
    }

    /// <summary>Makes SQLite refuse every write of the grain whose key contains <paramref name="key"/> until disposed.</summary>
    private async Task<IAsyncDisposable> RefuseWritesAsync(string key)
    {
        var trigger = $"refuse_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE TRIGGER {trigger} BEFORE UPDATE ON grain_state WHEN NEW.grain_id LIKE '%{key}%' " +
            "BEGIN SELECT RAISE(ABORT, 'test: storage refuses this grain'); END;");
        return new Restore(() => ExecuteAsync($"DROP TRIGGER {trigger};"));
    }

    private Task ExecuteAsync(string sql) => StoredRows.ExecuteAsync(Path.Combine(_server.DataDirectory, "cityarray.db"), sql);

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await _server.Http.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<JsonElement> GetAsync(string path) => _server.Http.GetFromJsonAsync<JsonElement>(path);

    private static async Task DisposeAllAsync(WsClient[] signs)
    {
        foreach (var sign in signs) await sign.DisposeAsync();
    }
}

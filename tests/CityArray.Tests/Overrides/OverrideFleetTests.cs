using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Overrides;

/// <summary>An override to a thousand simulated signs over real loopback sockets.</summary>
[Collection(HeavyCollection.Name)]
public sealed class OverrideFleetTests(QuietSignsServerFixture fixture) : IClassFixture<QuietSignsServerFixture>
{
    private const int Signs = 1000;
    private const int ConnectBatch = 100;
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task An_override_to_1000_signs_reaches_all_of_them_the_tally_counts_every_ack_and_the_cancel_follows_it()
    {
        var watch = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, Signs).Select(i => $"fleet-{i:0000}").ToArray();
        var signs = new List<WsClient>(Signs);
        try
        {
            // The signs register themselves by connecting.
            foreach (var batch in ids.Chunk(ConnectBatch))
                signs.AddRange(await Task.WhenAll(batch.Select(id => _server.ConnectAsync($"/ws/sign/{id}"))));

            var response = await _server.Http.PostAsJsonAsync("/api/overrides",
                new { text = "Evacuate via the north gate", sign_ids = ids, severity = "extreme", urgency = "immediate", headline = "Evacuation" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = await response.Content.ReadFromJsonAsync<JsonElement>();
            var overrideId = created.GetProperty("override_id").GetString()!;
            Assert.Equal(Signs, created.GetProperty("covered").GetInt32());
            Assert.Equal("active", created.GetProperty("status").GetString());

            await Task.WhenAll(signs.Select(async sign =>
            {
                var received = await sign.ReceiveAsync("override", timeout: TimeSpan.FromSeconds(30));
                Assert.Equal(overrideId, received.GetProperty("override_id").GetString());
                Assert.Equal("extreme", received.GetProperty("severity").GetString());
                await sign.SendJsonAsync(new { type = "ack", message_id = overrideId });
            }));

            JsonElement report = default;
            await Eventually.UntilAsync(async () =>
            {
                report = await _server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{overrideId}");
                return report.GetProperty("acked").GetInt32() == Signs;
            }, () => $"only {report.GetProperty("acked")} of {Signs} acks counted", TimeSpan.FromSeconds(30));
            Assert.Equal(Signs, report.GetProperty("covered").GetInt32());
            Assert.Empty(report.GetProperty("not_acked").EnumerateArray());
            Assert.Empty(report.GetProperty("unreachable").EnumerateArray());

            // The cancel reaches every sign, after the override on each of them.
            Assert.Equal(HttpStatusCode.OK, (await _server.Http.DeleteAsync($"/api/overrides/{overrideId}")).StatusCode);
            await Task.WhenAll(signs.Select(async sign =>
            {
                Assert.Equal(overrideId, (await sign.ReceiveAsync("override_cancelled", timeout: TimeSpan.FromSeconds(30))).GetProperty("override_id").GetString());
                string[] types;
                types = sign.History.Select(m => m.GetProperty("type").GetString()!).Where(t => t.StartsWith("override", StringComparison.Ordinal)).ToArray();
                Assert.Equal(["override", "override_cancelled"], types);
            }));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(90), $"took {watch.Elapsed}");
        }
        finally
        {
            await Task.WhenAll(signs.Select(s => s.DisposeAsync().AsTask()));
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Overrides;

/// <summary>
/// Coverage is evaluated when a sign connects, registers or moves, not only when the override is raised: a sign covered
/// late gets the override at once, is counted in the tally, and gets <c>override_cancelled</c> when it ends.
/// </summary>
public sealed class LateCoverageTests : IClassFixture<QuietSignsServerFixture>
{
    private readonly EmbeddedServer _server;

    public LateCoverageTests(QuietSignsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_new_sign_connecting_after_an_override_to_all_gets_it_at_once_and_its_cancel_later()
    {
        var id = await CreateAsync(new { text = "Evacuate now", all = true });
        try
        {
            await using var sign = await _server.ConnectAsync("/ws/sign/late-new-1");
            Assert.Equal(id, (await sign.ReceiveAsync("override", timeout: TimeSpan.FromSeconds(5))).GetProperty("override_id").GetString());
            await Eventually.UntilAsync(async () => Strings((await ReportAsync(id)).GetProperty("not_acked")).Contains("late-new-1"));

            await sign.SendJsonAsync(new { type = "ack", message_id = id });
            await Eventually.UntilAsync(async () => (await ReportAsync(id)).GetProperty("acked").GetInt32() >= 1);

            Assert.Equal(HttpStatusCode.OK, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
            Assert.Equal(id, (await sign.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
        }
        finally
        {
            await _server.Http.DeleteAsync($"/api/overrides/{id}");
        }
    }

    [Fact]
    public async Task A_sign_whose_zone_changes_into_a_zone_override_gets_it_at_once_and_its_cancel_later()
    {
        await RegisterAsync("zone-mover", new { name = "Mover", zone = "west" });
        await using var sign = await _server.ConnectAsync("/ws/sign/zone-mover");
        await _server.WaitConnectedAsync("zone-mover");
        var id = await CreateAsync(new { text = "Stage closed", zone = "east" });
        Assert.Equal(0, (await ReportAsync(id)).GetProperty("covered").GetInt32());

        await RegisterAsync("zone-mover", new { zone = "east" });
        Assert.Equal(id, (await sign.ReceiveAsync("override", timeout: TimeSpan.FromSeconds(5))).GetProperty("override_id").GetString());
        await Eventually.UntilAsync(async () => (await ReportAsync(id)).GetProperty("covered").GetInt32() == 1);
        var display = (await _server.Http.GetFromJsonAsync<JsonElement>("/api/signs/zone-mover")).GetProperty("current_display");
        Assert.Equal(id, display.GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
        Assert.Equal(id, (await sign.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
    }

    [Fact]
    public async Task A_sign_moved_into_an_area_override_gets_it_at_once_and_its_cancel_later()
    {
        await RegisterAsync("area-mover", new { name = "Mover", coordinates = new[] { 30.02, 10.0 } });
        await using var sign = await _server.ConnectAsync("/ws/sign/area-mover");
        await _server.WaitConnectedAsync("area-mover");
        var id = await CreateAsync(new { text = "Flooding", area = new { circle = new { center = new[] { 30.0, 10.0 }, radius_m = 500 } } });

        await RegisterAsync("area-mover", new { coordinates = new[] { 30.001, 10.0 } });
        Assert.Equal(id, (await sign.ReceiveAsync("override", timeout: TimeSpan.FromSeconds(5))).GetProperty("override_id").GetString());
        await Eventually.UntilAsync(async () => (await ReportAsync(id)).GetProperty("covered").GetInt32() == 1);

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.DeleteAsync($"/api/overrides/{id}")).StatusCode);
        Assert.Equal(id, (await sign.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
        Assert.Equal(["override", "override_cancelled"], Types(sign));
    }

    private async Task RegisterAsync(string signId, object body) =>
        (await _server.PutJsonAsync($"/api/signs/{signId}", body)).EnsureSuccessStatusCode();

    private async Task<string> CreateAsync(object body)
    {
        var response = await _server.Http.PostAsJsonAsync("/api/overrides", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("override_id").GetString()!;
    }

    private Task<JsonElement> ReportAsync(string id) => _server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] Types(WsClient client)
    {
        return client.History.Select(m => m.GetProperty("type").GetString()!).Where(t => t.StartsWith("override", StringComparison.Ordinal)).ToArray();
    }
}

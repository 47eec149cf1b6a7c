using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Alerts;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Hostile;

/// <summary>
/// Every configurable input cap (docs/limits.md), set through its environment variable to a small value: just under
/// it is accepted, just over it is refused with the documented error (a 400 problem naming the field, a socket
/// <c>error</c>, or a close 1009), and the process stays healthy. Small values prove each variable is honoured.
/// </summary>
public sealed class InputLimitTests(InputLimitTests.SmallLimitsServer fixture) : IClassFixture<InputLimitTests.SmallLimitsServer>
{
    /// <summary>One embedded server with every cap set small, shared by the tests of this class.</summary>
    public sealed class SmallLimitsServer : IAsyncLifetime
    {
        public EmbeddedServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await EmbeddedServer.StartAsync(Limits);

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["MAX_RENDERED_TEXT"] = "120",
        ["MAX_POLYGON_POINTS"] = "6",
        ["CAP_MAX_REFERENCES"] = "2",
        ["CAP_MAX_SHAPES"] = "2",
        ["CAP_MAX_ID_LENGTH"] = "24", // the test sender, test@cityarray.example, has 22
        ["CAP_MAX_BODY_BYTES"] = "4096",
        ["SIGN_MAX_METRICS"] = "3",
        ["WS_MAX_MESSAGE_BYTES"] = "2048",
        ["WS_IDLE_RECEIVE_BYTES"] = "512",
    };

    private EmbeddedServer Server => fixture.Server;

    private async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        if (status == HttpStatusCode.BadRequest) Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/health")).StatusCode);
        return problem;
    }

    private Task<HttpResponseMessage> PostCapAsync(string xml) =>
        Server.Http.PostAsync("/api/alerts/cap", new StringContent(xml, Encoding.UTF8, "application/cap+xml"));

    [Fact]
    public async Task Rendered_text_over_MAX_RENDERED_TEXT_is_a_400_naming_variables()
    {
        (await Server.Http.PostAsJsonAsync("/api/templates", new { id = "limit-tpl", name = "Limit", category = "test", text = "Go to {place}" })).EnsureSuccessStatusCode();
        (await Server.Http.PostAsJsonAsync("/api/templates/limit-tpl/render", new { variables = new { place = new string('a', 100) } })).EnsureSuccessStatusCode();

        var over = await Server.Http.PostAsJsonAsync("/api/templates/limit-tpl/render", new { variables = new { place = new string('a', 120) } });

        var problem = await ProblemAsync(over, HttpStatusCode.BadRequest, "variables");
        Assert.Contains("at most 120 characters", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_polygon_over_MAX_POLYGON_POINTS_is_a_400_naming_the_polygon_for_overrides_and_CAP()
    {
        double[][] Ring(int points) => Enumerable.Range(0, points - 1).Select(i => new[] { -76.5 + i * 0.001, 3.4 + (i % 2) * 0.001 })
            .Append([-76.5, 3.4]).ToArray();
        (await Server.Http.PostAsJsonAsync("/api/overrides", new { text = "ok", area = new { polygon = Ring(6) } })).EnsureSuccessStatusCode();

        await ProblemAsync(await Server.Http.PostAsJsonAsync("/api/overrides", new { text = "too many", area = new { polygon = Ring(7) } }),
            HttpStatusCode.BadRequest, "area.polygon");
        var sevenPairs = string.Join(" ", Enumerable.Range(0, 6).Select(i => $"{3.4 + (i % 2) * 0.01},{-76.5 + i * 0.01}").Append("3.4,-76.5"));
        await ProblemAsync(await PostCapAsync(CapDocuments.Build("limit-poly", $"<polygon>{sevenPairs}</polygon>")),
            HttpStatusCode.BadRequest, "alert.info[0].area[0].polygon");
    }

    [Fact]
    public async Task CAP_references_shapes_ids_and_size_over_their_variables_are_refused()
    {
        var box = CapDocuments.Box(3.40, -76.52, 3.41, -76.51);
        var three = string.Join(" ", Enumerable.Range(0, 3).Select(i => $"s,id-{i},2026-07-12T17:40:00-05:00"));
        await ProblemAsync(await PostCapAsync(CapDocuments.Build("limit-refs", box, msgType: "Update", references: three)),
            HttpStatusCode.BadRequest, "alert.references");
        await ProblemAsync(await PostCapAsync(CapDocuments.Build("limit-shapes", box + box + box)), HttpStatusCode.BadRequest, "alert.info");
        await ProblemAsync(await PostCapAsync(CapDocuments.Build(new string('i', 25), box)), HttpStatusCode.BadRequest, "alert.identifier");
        (await PostCapAsync(CapDocuments.Build(new string('i', 24), box + box))).EnsureSuccessStatusCode();

        var huge = CapDocuments.Build("limit-size", box, headline: new string('h', 5000));
        await ProblemAsync(await PostCapAsync(huge), HttpStatusCode.RequestEntityTooLarge, "");
    }

    [Fact]
    public async Task Socket_metrics_over_SIGN_MAX_METRICS_and_frames_over_WS_MAX_MESSAGE_BYTES_are_refused()
    {
        (await Server.PutJsonAsync("/api/signs/limit-sign", new { name = "Limit" })).EnsureSuccessStatusCode();
        await using var sign = await Server.ConnectAsync("/ws/sign/limit-sign");
        await sign.SendTextAsync("""{"type":"metrics","data":{"a":1,"b":2,"c":3,"d":4}}""");
        var error = await sign.ReceiveAsync("error");
        Assert.Contains("at most 3 metrics", error.GetProperty("message").GetString());
        await sign.SendTextAsync("""{"type":"metrics","data":{"a":1,"b":2,"c":3}}""");
        await Server.WaitForSignAsync("limit-sign", v => v.GetProperty("stats").GetProperty("metrics_reports").GetInt32() == 1);

        // Over the idle buffer (512) but within the message cap (2048): read through a borrowed buffer, answered.
        await sign.SendTextAsync("""{"type":"ack","message_id":"x","pad":""" + "\"" + new string('p', 1500) + "\"}");
        Assert.Contains("message_id", (await sign.ReceiveAsync("error", e => e.GetProperty("in_reply_to").GetString() == "ack")).GetProperty("message").GetString());
        // Over the message cap: closed with 1009.
        try
        {
            await sign.SendTextAsync("""{"type":"ack","message_id":"x","pad":""" + "\"" + new string('p', 3000) + "\"}");
        }
        catch (WebSocketException)
        {
        }
        await sign.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, sign.CloseStatus);
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/health")).StatusCode);
    }
}

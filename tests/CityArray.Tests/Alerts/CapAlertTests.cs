using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Alerts;

/// <summary><c>POST /api/alerts/cap</c> over real sign sockets: area targeting, update, cancel, test status, idempotency, rejects.</summary>
public sealed class CapAlertTests(QuietSignsServerFixture fixture) : IClassFixture<QuietSignsServerFixture>
{
    private readonly EmbeddedServer _server = fixture.Server;

    [Fact]
    public async Task The_flood_samples_raise_replace_and_cancel_overrides_on_the_signs_in_their_areas()
    {
        await RegisterAsync("rvf-west", [-73.558, 45.505]);   // only in the first polygon
        await RegisterAsync("rvf-mid", [-73.552, 45.505]);    // in both polygons
        await RegisterAsync("rvf-east", [-73.540, 45.505]);   // only in the updated polygon
        await RegisterAsync("rvf-far", [-73.500, 45.505]);    // in neither
        await using var west = await _server.ConnectAsync("/ws/sign/rvf-west");
        await using var mid = await _server.ConnectAsync("/ws/sign/rvf-mid");
        await using var east = await _server.ConnectAsync("/ws/sign/rvf-east");
        await using var far = await _server.ConnectAsync("/ws/sign/rvf-far");
        await _server.WaitConnectedAsync("rvf-west", "rvf-mid", "rvf-east", "rvf-far");

        var (status, alert) = await PostAsync(CapDocuments.Sample("flood-alert.xml"));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("RVF-2026-0712-001", alert.GetProperty("cap_identifier").GetString());
        Assert.Equal("active", alert.GetProperty("status").GetString());
        var first = Assert.Single(Strings(alert.GetProperty("override_ids")));
        foreach (var sign in new[] { west, mid })
        {
            var o = await sign.ReceiveAsync("override");
            Assert.Equal(first, o.GetProperty("override_id").GetString());
            Assert.Equal("Flash flood warning: Riverside Stage — Leave the riverbank now and walk uphill to the Market Square gates.", o.GetProperty("text").GetString());
            Assert.Equal("Flash flood warning: Riverside Stage", o.GetProperty("headline").GetString());
            Assert.Equal(("severe", "immediate", "met", "actual"),
                (o.GetProperty("severity").GetString(), o.GetProperty("urgency").GetString(), o.GetProperty("category").GetString(), o.GetProperty("cap_status").GetString()));
        }
        Assert.Equal(2, (await ReportAsync(first)).GetProperty("covered").GetInt32());

        var (updateStatus, update) = await PostAsync(CapDocuments.Sample("flood-update.xml"));
        Assert.Equal(HttpStatusCode.Created, updateStatus);
        Assert.Equal(["ops@riverfest.example.org|RVF-2026-0712-001"], Strings(update.GetProperty("ended")));
        Assert.Equal([first], Strings(update.GetProperty("cancelled_override_ids")));
        var replacements = Strings(update.GetProperty("override_ids"));
        Assert.Equal(2, replacements.Length);   // the polygon and the circle
        Assert.Equal(first, (await west.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
        var midNew = await mid.ReceiveAsync("override", m => m.GetProperty("override_id").GetString() != first);
        Assert.StartsWith("Flash flood: East Bridge closed", midNew.GetProperty("text").GetString());
        Assert.True(midNew.TryGetProperty("expires_at", out _));
        var eastNew = await east.ReceiveAsync("override");
        Assert.Equal(midNew.GetProperty("override_id").GetString(), eastNew.GetProperty("override_id").GetString());
        Assert.Contains(eastNew.GetProperty("override_id").GetString(), replacements);
        Assert.Equal("cancelled", (await ReportAsync(first)).GetProperty("status").GetString());
        Assert.Equal("override", await DisplayKindAsync("rvf-mid"));

        var (cancelStatus, cancel) = await PostAsync(CapDocuments.Sample("flood-cancel.xml"));
        Assert.Equal(HttpStatusCode.OK, cancelStatus);
        Assert.Equal("cancelled", cancel.GetProperty("status").GetString());
        Assert.Equal(eastNew.GetProperty("override_id").GetString(), (await east.ReceiveAsync("override_cancelled")).GetProperty("override_id").GetString());
        await mid.ReceiveAsync("override_cancelled", m => m.GetProperty("override_id").GetString() != first);
        foreach (var id in replacements) Assert.Equal("cancelled", (await ReportAsync(id)).GetProperty("status").GetString());
        Assert.NotEqual("override", await DisplayKindAsync("rvf-mid"));

        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.Empty(Types(far, "override"));
    }

    [Fact]
    public async Task A_circle_covers_the_signs_within_its_radius_in_kilometres()
    {
        await RegisterAsync("capc-in", [12.001, 41.0]);   // ~85 m from the center
        await RegisterAsync("capc-out", [12.02, 41.0]);   // ~1.7 km
        await using var inside = await _server.ConnectAsync("/ws/sign/capc-in");
        await using var outside = await _server.ConnectAsync("/ws/sign/capc-out");
        await _server.WaitConnectedAsync("capc-in", "capc-out");

        var (status, created) = await PostAsync(CapDocuments.Build("circle-1", "<circle>41.0,12.0 0.5</circle>"));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = Assert.Single(Strings(created.GetProperty("override_ids")));
        Assert.Equal(id, (await inside.ReceiveAsync("override")).GetProperty("override_id").GetString());
        var target = (await ReportAsync(id)).GetProperty("target").GetProperty("area").GetProperty("circle");
        Assert.Equal(500, target.GetProperty("radius_m").GetDouble(), 6);
        Assert.Equal(12.0, target.GetProperty("center")[0].GetDouble());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.Empty(Types(outside, "override"));
    }

    [Fact]
    public async Task A_test_alert_is_shown_prefixed_TEST_with_its_cap_status()
    {
        await RegisterAsync("capt-1", [13.0, 42.0]);
        await using var sign = await _server.ConnectAsync("/ws/sign/capt-1");
        await _server.WaitConnectedAsync("capt-1");
        var (status, _) = await PostAsync(CapDocuments.Build("test-1", CapDocuments.Box(41.99, 12.99, 42.01, 13.01), status: "Test"));
        Assert.Equal(HttpStatusCode.Created, status);
        var o = await sign.ReceiveAsync("override");
        Assert.Equal("TEST: Gas leak near Gate 4 — Keep clear of Gate 4; use Gate 2.", o.GetProperty("text").GetString());
        Assert.Equal("test", o.GetProperty("cap_status").GetString());
    }

    [Fact]
    public async Task The_same_alert_posted_twice_raises_its_overrides_once()
    {
        await RegisterAsync("capd-1", [14.0, 43.0]);
        await using var sign = await _server.ConnectAsync("/ws/sign/capd-1");
        await _server.WaitConnectedAsync("capd-1");
        var xml = CapDocuments.Build("dup-1", CapDocuments.Box(42.99, 13.99, 43.01, 14.01));
        var (firstStatus, first) = await PostAsync(xml);
        var (secondStatus, second) = await PostAsync(xml);
        Assert.Equal(HttpStatusCode.Created, firstStatus);
        Assert.Equal(HttpStatusCode.OK, secondStatus);
        Assert.Equal(Strings(first.GetProperty("override_ids")), Strings(second.GetProperty("override_ids")));
        await sign.ReceiveAsync("override");
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(500);
        Assert.Single(Types(sign, "override"));
    }

    [Fact]
    public async Task Draft_alerts_and_acks_are_accepted_without_showing_anything()
    {
        await RegisterAsync("capn-1", [15.0, 44.0]);
        await using var sign = await _server.ConnectAsync("/ws/sign/capn-1");
        await _server.WaitConnectedAsync("capn-1");
        var box = CapDocuments.Box(43.99, 14.99, 44.01, 15.01);
        var (draft, body) = await PostAsync(CapDocuments.Build("draft-1", box, status: "Draft"));
        Assert.Equal(HttpStatusCode.Accepted, draft);
        Assert.Equal("not_displayed", body.GetProperty("status").GetString());
        var (ack, ackBody) = await PostAsync(CapDocuments.Build("ack-1", box, msgType: "Ack", references: "x,y,2026-07-12T17:40:00-05:00"));
        Assert.Equal(HttpStatusCode.Accepted, ack);
        Assert.Equal("acknowledged", ackBody.GetProperty("status").GetString());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.Empty(Types(sign, "override"));
    }

    [Theory]
    [InlineData("Restricted")]
    [InlineData("Private")]
    public async Task Restricted_and_private_alerts_are_never_shown_on_public_signs(string scope)
    {
        await RegisterAsync($"caps-{scope}", [16.0, 45.0]);
        await using var sign = await _server.ConnectAsync($"/ws/sign/caps-{scope}");
        await _server.WaitConnectedAsync($"caps-{scope}");
        var (status, body) = await PostAsync(CapDocuments.Build($"scope-{scope}", CapDocuments.Box(44.99, 15.99, 45.01, 16.01), scope: scope));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("not_displayed", body.GetProperty("status").GetString());
        Assert.Contains(scope, body.GetProperty("note").GetString());
        // Absence window: nothing more may arrive (a wrong delivery would come within it).
        await Task.Delay(300);
        Assert.Empty(Types(sign, "override"));
    }

    [Theory]
    [InlineData("update")]
    [InlineData("cancel")]
    public async Task A_reference_to_an_unknown_alert_is_404_naming_it(string kind)
    {
        var msgType = kind == "update" ? "Update" : "Cancel";
        var xml = CapDocuments.Build($"ref-{kind}", CapDocuments.Box(1, 1, 2, 2), msgType: msgType,
            references: "test@cityarray.example,never-sent,2026-07-12T17:00:00-05:00");
        var response = await PostRawAsync(xml);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("test@cityarray.example|never-sent", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("not xml at all", "xml:")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>&xxe;</identifier></alert>", "xml: DTDs")]
    [InlineData("missing-identifier", "alert.identifier: is required")]
    [InlineData("sent-year-9999", "alert.sent: '9999-12-31T23:59:59-05:00' is not a valid date-time")]
    [InlineData("<polygon>1,1 1,2 1,1</polygon>", "alert.info[0].area[0].polygon: needs at least 4 \"lat,lon\" pairs")]
    [InlineData("<polygon>1,1 1,2 2,2a 2,1 1,1</polygon>", "alert.info[0].area[0].polygon: pair 3")]
    [InlineData("<polygon>40,-100 40,-101 41,-101 41,-100 40,-100</polygon>", "")]
    [InlineData("<polygon>-100,40 -101,40 -101,41 -100,41 -100,40</polygon>", "alert.info[0].area[0].polygon: pair 1 '-100,40': latitude -100 is outside")]
    public async Task Bad_documents_are_400_naming_the_element(string input, string detail)
    {
        var xml = input switch
        {
            "missing-identifier" => CapDocuments.Build("x", CapDocuments.Box(1, 1, 2, 2)).Replace("<identifier>x</identifier>", ""),
            "sent-year-9999" => System.Text.RegularExpressions.Regex.Replace(CapDocuments.Build("y9999", CapDocuments.Box(1, 1, 2, 2)),
                "<sent>[^<]*</sent>", "<sent>9999-12-31T23:59:59-05:00</sent>"),
            _ when input.StartsWith("<polygon>", StringComparison.Ordinal) => CapDocuments.Build($"bad-{Guid.NewGuid():N}", input),
            _ => input,
        };
        var response = await PostRawAsync(xml);
        if (detail.Length == 0)
        {
            // The same ring in the right "lat,lon" order is fine (the control for the swapped one).
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_wrong_content_type_is_415_and_a_huge_body_is_413()
    {
        var json = await _server.Http.PostAsync("/api/alerts/cap", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        var huge = CapDocuments.Build("huge", CapDocuments.Box(1, 1, 2, 2)).Replace("<headline>", "<description>" + new string('x', 300 * 1024) + "</description><headline>");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostRawAsync(huge)).StatusCode);
    }

    private async Task<(HttpStatusCode, JsonElement)> PostAsync(string xml)
    {
        var response = await PostRawAsync(xml);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private Task<HttpResponseMessage> PostRawAsync(string xml) =>
        _server.Http.PostAsync("/api/alerts/cap", new StringContent(xml, Encoding.UTF8, "application/cap+xml"));

    private async Task RegisterAsync(string signId, double[] coordinates) =>
        (await _server.PutJsonAsync($"/api/signs/{signId}", new { name = signId, coordinates })).EnsureSuccessStatusCode();

    private Task<JsonElement> ReportAsync(string id) => _server.Http.GetFromJsonAsync<JsonElement>($"/api/overrides/{id}");

    private async Task<string?> DisplayKindAsync(string signId) =>
        (await _server.Http.GetFromJsonAsync<JsonElement>($"/api/signs/{signId}")).GetProperty("current_display").GetProperty("kind").GetString();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static string[] Types(WsClient client, params string[] types)
    {
        return client.History.Select(m => m.GetProperty("type").GetString()!).Where(types.Contains).ToArray();
    }
}

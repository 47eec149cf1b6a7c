using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Gateway.Alerts;
using CityArray.Grains.Alerts;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Tests.Alerts;

/// <summary>CapParser and CapOverrides without a server: the samples, the lat,lon swap, and errors naming the element.</summary>
public sealed class CapParserTests
{
    [Fact]
    public void The_flood_sample_parses_with_its_polygon_swapped_to_longitude_latitude()
    {
        var alert = Parse(CapDocuments.Sample("flood-alert.xml"));
        Assert.Equal("RVF-2026-0712-001", alert.Identifier);
        Assert.Equal("ops@riverfest.example.org|RVF-2026-0712-001", alert.Key);
        Assert.Equal(("Actual", "Alert", "Public"), (alert.Status, alert.MsgType, alert.Scope));
        Assert.Equal(new DateTimeOffset(2026, 7, 12, 17, 40, 0, TimeSpan.FromHours(-5)), alert.Sent);
        var info = Assert.Single(alert.Infos);
        Assert.Equal(["Met", "Safety"], info.Categories);
        Assert.Equal(("Immediate", "Severe", "Likely"), (info.Urgency, info.Severity, info.Certainty));
        var ring = Assert.Single(Assert.Single(info.Areas).Polygons);
        Assert.Equal(5, ring.Count);
        Assert.Equal(new GeoPoint(-73.560, 45.500), ring[0]);
        Assert.Equal(new GeoPoint(-73.550, 45.500), ring[1]);
    }

    [Fact]
    public void The_update_sample_has_its_reference_and_a_circle_in_metres()
    {
        var alert = Parse(CapDocuments.Sample("flood-update.xml"));
        var reference = Assert.Single(alert.References);
        Assert.Equal("ops@riverfest.example.org|RVF-2026-0712-001", reference.Key);
        var circle = Assert.Single(alert.Infos[0].Areas[0].Circles);
        Assert.Equal(new GeoPoint(-73.545, 45.530), circle.Center);
        Assert.Equal(300, circle.RadiusM, 6);
        Assert.NotNull(alert.Infos[0].Expires);
    }

    [Fact]
    public void A_cancel_needs_no_info_and_keeps_every_reference()
    {
        var alert = Parse(CapDocuments.Sample("flood-cancel.xml"));
        Assert.Equal("Cancel", alert.MsgType);
        Assert.Empty(alert.Infos);
        Assert.Equal(["RVF-2026-0712-001", "RVF-2026-0712-002"], alert.References.Select(r => r.Identifier));
    }

    [Fact]
    public void An_exercise_in_two_languages_raises_one_override_from_the_first_language_marked_as_an_exercise()
    {
        var alert = Parse(CapDocuments.Sample("heat-exercise.xml"));
        Assert.Equal(2, alert.Infos.Count);
        var plan = CapOverrides.Plan(alert, DateTimeOffset.UtcNow);
        var o = Assert.Single(plan).Override;
        Assert.Equal("EXERCISE: Heat drill at the Main Stage — Find shade and drink water. Free water at the blue tents.", o.Text);
        Assert.Equal(("exercise", "moderate", "expected", "health"), (o.CapStatus, o.Severity, o.Urgency, o.Category));
        Assert.Equal(500, Assert.Single(plan).Target.Area!.Circle!.RadiusM, 6);
    }

    [Fact]
    public void Every_polygon_and_circle_becomes_its_own_override()
    {
        var alert = Parse(CapDocuments.Build("multi", CapDocuments.Box(1, 1, 2, 2) + CapDocuments.Box(3, 3, 4, 4) + "<circle>5,5 1</circle>", status: "Test"));
        var plan = CapOverrides.Plan(alert, DateTimeOffset.UtcNow);
        Assert.Equal(3, plan.Count);
        Assert.Equal(3, plan.Select(p => p.Override.OverrideId).Distinct().Count());
        Assert.All(plan, p => Assert.StartsWith("TEST: Gas leak near Gate 4", p.Override.Text));
    }

    [Theory]
    [InlineData("<alert", "xml")]
    [InlineData("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.1\"/>", "alert")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>&xxe;</identifier></alert>", "xml")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><lol>&b;</lol>", "xml")]
    public void Unreadable_or_dangerous_documents_are_rejected(string xml, string field) => AssertError(xml, field);

    [Theory]
    [InlineData("<identifier>multi</identifier>", "", "alert.identifier", "is required")]
    [InlineData("<identifier>multi</identifier>", "<identifier>a b</identifier>", "alert.identifier", "without spaces")]
    [InlineData("<status>Actual</status>", "<status>Real</status>", "alert.status", "must be one of")]
    [InlineData("<msgType>Alert</msgType>", "<msgType>Warning</msgType>", "alert.msgType", "must be one of")]
    [InlineData("<scope>Public</scope>", "", "alert.scope", "is required")]
    [InlineData("<sent>2026-07-12T17:40:00-05:00</sent>", "<sent>2026-07-12 17:40</sent>", "alert.sent", "time zone")]
    [InlineData("<msgType>Alert</msgType>", "<msgType>Update</msgType>", "alert.references", "is required for Update")]
    [InlineData("<scope>Public</scope>", "<scope>Public</scope><references>only-two,parts</references>", "alert.references", "triple")]
    [InlineData("<event>Gas leak</event>", "", "alert.info[0].event", "is required")]
    [InlineData("<category>Safety</category>", "<category>Party</category>", "alert.info[0].category", "must be one of")]
    [InlineData("<severity>Severe</severity>", "<severity>Bad</severity>", "alert.info[0].severity", "must be one of")]
    [InlineData("<areaDesc>Gate 4</areaDesc>", "", "alert.info[0].area[0].areaDesc", "is required")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "", "alert.info[0].area[0]", "at least one polygon or circle")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1,1 1,2 1,1</polygon>", "alert.info[0].area[0].polygon", "needs at least 4 \"lat,lon\" pairs")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1,1 1,2 2,x 2,1 1,1</polygon>", "alert.info[0].area[0].polygon", "pair 3 '2,x' is not")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1;1 1,2 2,2 2,1 1;1</polygon>", "alert.info[0].area[0].polygon", "pair 1")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1,1 2,1 151,-33 2,2 1,1</polygon>", "alert.info[0].area[0].polygon", "latitude 151 is outside")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1,1 1,2 2,2 2,1</polygon>", "alert.info[0].area[0].polygon", "closed ring")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<circle>1,1</circle>", "alert.info[0].area[0].circle", "\"lat,lon radius_km\"")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<circle>1,1 0</circle>", "alert.info[0].area[0].circle", "radius '0'")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<circle>1,1 101</circle>", "alert.info[0].area[0].circle", "at most 100")]
    [InlineData("<polygon>1,1 1,2 2,2 2,1 1,1</polygon>", "<polygon>1,1 1,2 2,2 2,1 1,1</polygon><polygon>1,1 1,2 1,1</polygon>", "alert.info[0].area[0].polygon[1]", "at least 4")]
    public void Invalid_fields_name_the_element_and_why(string valid, string replacement, string field, string reason)
    {
        var xml = CapDocuments.Build("multi", CapDocuments.Box(1, 1, 2, 2)).Replace(valid, replacement);
        var (f, r) = AssertError(xml, field);
        Assert.Contains(reason, r);
        Assert.Equal(field, f);
    }

    [Fact]
    public void An_alert_without_info_is_rejected()
    {
        var xml = CapDocuments.Sample("flood-cancel.xml").Replace("<msgType>Cancel</msgType>", "<msgType>Alert</msgType>");
        AssertError(xml, "alert.info");
    }

    [Fact]
    public void An_alert_already_expired_cannot_be_shown()
    {
        var xml = CapDocuments.Build("old", CapDocuments.Box(1, 1, 2, 2)).Replace("<headline>", "<expires>2020-01-01T00:00:00Z</expires><headline>");
        var error = Assert.Throws<RequestException>(() => CapOverrides.Plan(Parse(xml), DateTimeOffset.UtcNow));
        Assert.Equal("alert.info[0].expires", error.Field);
    }

    private static CapAlert Parse(string xml) => CapParser.Parse(xml);

    private static (string Field, string Reason) AssertError(string xml, string field)
    {
        var error = Assert.Throws<RequestException>(() => CapParser.Parse(xml));
        Assert.Equal((400, field), (error.Status, error.Field));
        return (error.Field!, error.Message);
    }
}

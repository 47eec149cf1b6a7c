using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Alerts;

/// <summary>The CAP rules where they live: <see cref="ICapReceiverGrain"/> called directly with parsed alerts, no HTTP in between.</summary>
public sealed class CapReceiverGrainTests(QuietSignsServerFixture fixture) : IClassFixture<QuietSignsServerFixture>
{
    private readonly IClusterClient _cluster = fixture.Server.Services.GetRequiredService<IClusterClient>();

    private ICapReceiverGrain Receiver => _cluster.GetGrain<ICapReceiverGrain>(0);

    [Theory]
    [InlineData("Draft", "Public", "Alert", "not_displayed")]
    [InlineData("System", "Public", "Alert", "not_displayed")]
    [InlineData("Actual", "Restricted", "Alert", "not_displayed")]
    [InlineData("Actual", "Public", "Ack", "acknowledged")]
    [InlineData("Actual", "Public", "Error", "acknowledged")]
    public async Task Alerts_that_are_not_for_public_signs_are_accepted_and_raise_nothing(string status, string scope, string msgType, string held)
    {
        var alert = Alert($"quiet-{status}-{scope}-{msgType}", status: status, scope: scope, msgType: msgType);
        var decision = await Receiver.ReceiveAsync(alert);
        Assert.Equal((CapOutcome.NotShown, held), (decision.Outcome, decision.Status));
        Assert.Empty(decision.OverrideIds);
        Assert.NotNull(decision.Note);
        Assert.Null(await _cluster.GetGrain<ICapAlertGrain>(alert.Key).GetAsync());
    }

    [Fact]
    public async Task An_alert_raises_one_override_per_shape_once_and_a_cancel_ends_them()
    {
        var alert = Alert("raise-once", shapes: 2);
        var raised = await Receiver.ReceiveAsync(alert);
        Assert.Equal((CapOutcome.Raised, CapAlertStatus.Active), (raised.Outcome, raised.Status));
        Assert.Equal(2, raised.OverrideIds.Count);
        foreach (var id in raised.OverrideIds)
        {
            var report = await _cluster.GetGrain<IOverrideGrain>(id).GetAsync();
            Assert.Equal(OverrideStatus.Active, report!.Status);
        }

        var again = await Receiver.ReceiveAsync(alert);
        Assert.Equal(CapOutcome.AlreadyReceived, again.Outcome);
        Assert.Equal(raised.OverrideIds, again.OverrideIds);

        var cancel = await Receiver.ReceiveAsync(Alert("raise-once-cancel", msgType: "Cancel", references: [alert]));
        Assert.Equal((CapOutcome.Cancelled, CapAlertStatus.Cancelled), (cancel.Outcome, cancel.Status));
        Assert.Equal([alert.Key], cancel.Ended);
        Assert.Equal(raised.OverrideIds.Order(), cancel.CancelledOverrideIds!.Order());
        foreach (var id in raised.OverrideIds)
            Assert.Equal(OverrideStatus.Cancelled, (await _cluster.GetGrain<IOverrideGrain>(id).GetAsync())!.Status);
        Assert.Equal(CapAlertStatus.Cancelled, (await _cluster.GetGrain<ICapAlertGrain>(alert.Key).GetAsync())!.Status);
    }

    [Fact]
    public async Task An_update_raises_its_own_overrides_then_replaces_the_alert_it_references()
    {
        var first = Alert("update-first");
        var raised = await Receiver.ReceiveAsync(first);
        var update = await Receiver.ReceiveAsync(Alert("update-second", msgType: "Update", references: [first]));
        Assert.Equal(CapOutcome.Raised, update.Outcome);
        Assert.Single(update.OverrideIds);
        Assert.Equal([first.Key], update.Ended);
        Assert.Equal(raised.OverrideIds, update.CancelledOverrideIds);
        Assert.Equal(CapAlertStatus.Replaced, (await _cluster.GetGrain<ICapAlertGrain>(first.Key).GetAsync())!.Status);
        Assert.Equal(OverrideStatus.Active, (await _cluster.GetGrain<IOverrideGrain>(update.OverrideIds[0]).GetAsync())!.Status);
    }

    [Fact]
    public async Task An_update_naming_an_unknown_alert_changes_nothing()
    {
        var known = Alert("unknown-ref-known");
        var raised = await Receiver.ReceiveAsync(known);
        var stranger = Alert("never-received");
        var update = Alert("unknown-ref-update", msgType: "Update", references: [known, stranger]);

        var unknown = await Assert.ThrowsAsync<RequestException>(() => Receiver.ReceiveAsync(update));
        Assert.Equal(404, unknown.Status);
        Assert.Contains(stranger.Key, unknown.Message);
        Assert.Null(await _cluster.GetGrain<ICapAlertGrain>(update.Key).GetAsync());
        Assert.Equal(CapAlertStatus.Active, (await _cluster.GetGrain<ICapAlertGrain>(known.Key).GetAsync())!.Status);
        Assert.Equal(OverrideStatus.Active, (await _cluster.GetGrain<IOverrideGrain>(raised.OverrideIds[0]).GetAsync())!.Status);
    }

    [Fact]
    public async Task An_expired_alert_or_one_with_too_many_shapes_is_refused_naming_the_element()
    {
        var expired = Alert("expired", expires: DateTimeOffset.UtcNow.AddMinutes(-1));
        var refused = await Assert.ThrowsAsync<RequestException>(() => Receiver.ReceiveAsync(expired));
        Assert.Equal((400, "alert.info[0].expires"), (refused.Status, refused.Field));
        Assert.Null(await _cluster.GetGrain<ICapAlertGrain>(expired.Key).GetAsync());

        var huge = await Assert.ThrowsAsync<RequestException>(() => Receiver.ReceiveAsync(Alert("huge", shapes: 101)));
        Assert.Equal("alert.info", huge.Field);
        Assert.Contains("101", huge.Message);
    }

    [Fact]
    public async Task Test_alerts_are_shown_marked_as_tests()
    {
        var decision = await Receiver.ReceiveAsync(Alert("marked-test", status: "Test"));
        var report = await _cluster.GetGrain<IOverrideGrain>(Assert.Single(decision.OverrideIds)).GetAsync();
        Assert.StartsWith("TEST: Gas leak near Gate 4", report!.Text);
        Assert.Equal("test", report.CapStatus);
    }

    private static CapAlert Alert(string identifier, string status = "Actual", string scope = "Public", string msgType = "Alert",
        CapAlert[]? references = null, int shapes = 1, DateTimeOffset? expires = null)
    {
        var circles = Enumerable.Range(0, shapes).Select(i => new AreaCircle(new GeoPoint(10 + i * 0.01, 10), 200)).ToArray();
        var info = new CapInfo("en-US", ["Safety"], "Gas leak", "Immediate", "Severe", "Observed", "Gas leak near Gate 4",
            null, "Use Gate 2.", expires, [new CapArea("Gate 4", [], circles)]);
        return new CapAlert($"grain-{identifier}-{Guid.NewGuid():N}", "test@cityarray.example", DateTimeOffset.UtcNow, status, msgType, scope,
            (references ?? []).Select(r => new CapReference(r.Sender, r.Identifier, r.Sent)).ToArray(),
            msgType is "Alert" or "Update" ? [info] : []);
    }
}

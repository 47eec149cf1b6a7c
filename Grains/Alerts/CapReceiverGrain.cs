using Orleans.Concurrency;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Alerts;

/// <summary>
/// Decides what a CAP alert does (see <see cref="ICapReceiverGrain"/>) and carries it out through the alert grains:
/// the one place CAP rules live. Stateless: what is durable is each alert's <see cref="CapAlertGrain"/>.
/// </summary>
[StatelessWorker]
[Reentrant] // holds no state: a call waiting on its downstream grain must not hold one of the few local workers
public sealed class CapReceiverGrain(CityArrayClock clock, InputLimits limits) : Grain, ICapReceiverGrain
{
    public async Task<CapDecision> ReceiveAsync(CapAlert alert)
    {
        if (alert.Status is "Draft" or "System")
            return CapDecision.NotShown("not_displayed", $"{alert.Status} alerts are accepted but never shown on signs");
        if (alert.Scope != "Public" && alert.MsgType is "Alert" or "Update")
            return CapDecision.NotShown("not_displayed", $"{alert.Scope} alerts are addressed to specific recipients and are never shown on public signs");
        if (alert.MsgType is "Ack" or "Error")
            return CapDecision.NotShown("acknowledged", $"{alert.MsgType} messages need no action on signs");

        // Every referenced alert must be known before anything changes.
        var referenced = alert.References.Select(r => r.Key).Distinct(StringComparer.Ordinal).ToArray();
        if (alert.MsgType is "Update" or "Cancel")
            foreach (var key in referenced)
                if (await Alert(key).GetAsync() is null)
                    throw RequestException.NotFound("CAP alert", key);

        if (alert.MsgType == "Cancel")
        {
            var cancelledIds = await EndAsync(referenced, CapAlertStatus.Cancelled, alert.Key);
            return new CapDecision(CapOutcome.Cancelled, CapAlertStatus.Cancelled, [], referenced, cancelledIds);
        }

        var overrides = CapOverrides.Plan(alert, clock.GetUtcNow(), limits.MaxCapShapes);
        // Raise first, then end the referenced alerts: signs switch straight to the new warning, never blank in between.
        var raised = await Alert(alert.Key).RaiseAsync(alert.MsgType, alert.Status.ToLowerInvariant(), overrides);
        var endedIds = alert.MsgType == "Update" ? await EndAsync(referenced, CapAlertStatus.Replaced, alert.Key) : null;
        return new CapDecision(raised.Created ? CapOutcome.Raised : CapOutcome.AlreadyReceived, raised.Alert.Status, raised.Alert.OverrideIds,
            endedIds is null ? null : referenced, endedIds, raised.Created ? null : "already received: nothing new was raised");
    }

    private ICapAlertGrain Alert(string key) => GrainFactory.GetGrain<ICapAlertGrain>(key);

    /// <summary>Ends the referenced alerts; the ids of their overrides.</summary>
    private async Task<IReadOnlyList<string>> EndAsync(string[] keys, string status, string by)
    {
        var records = await Task.WhenAll(keys.Select(k => Alert(k).EndAsync(status, by)));
        return records.SelectMany(r => r?.OverrideIds ?? []).ToArray();
    }
}

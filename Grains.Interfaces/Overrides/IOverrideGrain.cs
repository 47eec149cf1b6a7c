namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>One operator override, keyed by its id: what it says, which signs it covers, and which of them acked.</summary>
[Alias("CityArray.IOverrideGrain")]
public interface IOverrideGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the override (with its <paramref name="phones"/> channels, if any), resolves its target to signs and applies
    /// it on each of them, then creates one phone alert per phone channel for the subscribers of the covered zones;
    /// idempotent (a repeated call never sends a phone alert twice).
    /// </summary>
    [Alias("Activate")]
    Task<OverrideReport> ActivateAsync(SignOverride value, OverrideTarget target, OverridePhones? phones = null);

    /// <summary>The override and its tally (unreachable read from the fleet snapshot, one call), or null if no override has this id.</summary>
    [Alias("Get"), ReadOnly]
    Task<OverrideReport?> GetAsync();

    /// <summary>
    /// Cancels an active override (the covered signs drop it). Returns the status it had before:
    /// null when unknown, <c>active</c> when this call cancelled it, else <c>cancelled</c>/<c>expired</c> (unchanged).
    /// </summary>
    [Alias("Cancel")]
    Task<string?> CancelAsync();

    /// <summary>
    /// A gateway's batch: signs it delivered the override to (a sign covered late is counted from then on) and signs
    /// that acked it. Returns once the tally is stored (one write per batch; a gateway keeps one batch in flight per
    /// override, so they group themselves); when it throws, nothing of it was kept and the gateway sends it again.
    /// </summary>
    [Alias("ReportBatch")]
    Task ReportBatchAsync(IReadOnlyList<string> delivered, IReadOnlyList<string> acked, DateTimeOffset at);
}

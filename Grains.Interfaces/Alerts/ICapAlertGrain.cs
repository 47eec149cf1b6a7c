namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// One received CAP alert, keyed by <c>sender|identifier</c>: durably records which overrides belong to it, so the
/// same alert posted twice raises nothing new, and a later <c>Update</c> or <c>Cancel</c> can end them.
/// </summary>
[Alias("CityArray.ICapAlertGrain")]
public interface ICapAlertGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the alert and activates its overrides. Idempotent: when the alert is already known nothing new is
    /// raised (an interrupted earlier call is completed with the overrides it recorded) and <c>Created</c> is false.
    /// </summary>
    [Alias("Raise")]
    Task<CapRaiseResult> RaiseAsync(string msgType, string capStatus, IReadOnlyList<OverrideActivation> overrides);

    /// <summary>The alert, or null when no alert has this key.</summary>
    [Alias("Get"), ReadOnly]
    Task<CapAlertRecord?> GetAsync();

    /// <summary>
    /// Cancels every override of an active alert and marks it <paramref name="status"/> (<see cref="CapAlertStatus.Cancelled"/>
    /// or <see cref="CapAlertStatus.Replaced"/>) by the alert keyed <paramref name="by"/>. An ended alert is left as it is.
    /// Null when no alert has this key.
    /// </summary>
    [Alias("End")]
    Task<CapAlertRecord?> EndAsync(string status, string by);
}

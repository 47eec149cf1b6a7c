namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// What CityArray decided for one CAP alert: the <see cref="Outcome"/> (<see cref="CapOutcome"/>), the <see cref="Status"/>
/// it holds for the alert (<c>active</c>, <c>cancelled</c>, <c>replaced</c>, or <c>not_displayed</c> / <c>acknowledged</c>),
/// the overrides it raised, the earlier alerts it ended and their cancelled overrides, and a note. For
/// <see cref="CapOutcome.UnknownReference"/> and <see cref="CapOutcome.Unshowable"/>, <see cref="Field"/> and <see cref="Reason"/> say why.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapDecision")]
public sealed record CapDecision(
    [property: Id(0)] string Outcome,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyList<string> OverrideIds,
    [property: Id(3)] IReadOnlyList<string>? Ended = null,
    [property: Id(4)] IReadOnlyList<string>? CancelledOverrideIds = null,
    [property: Id(5)] string? Note = null,
    [property: Id(6)] string? Field = null,
    [property: Id(7)] string? Reason = null)
{
    public static CapDecision NotShown(string status, string note) => new(CapOutcome.NotShown, status, [], Note: note);

    public static CapDecision Refused(string outcome, string field, string reason) => new(outcome, "not_displayed", [], Field: field, Reason: reason);
}

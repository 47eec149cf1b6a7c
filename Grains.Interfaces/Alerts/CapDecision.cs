namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// What CityArray decided for one CAP alert: the <see cref="Outcome"/> (<see cref="CapOutcome"/>), the <see cref="Status"/>
/// it holds for the alert (<c>active</c>, <c>cancelled</c>, <c>replaced</c>, or <c>not_displayed</c> / <c>acknowledged</c>),
/// the overrides it raised, the earlier alerts it ended and their cancelled overrides, and a note. An alert that
/// references one never received (404) or cannot be shown (400) throws a <see cref="Validation.RequestException"/> instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapDecision")]
public sealed record CapDecision(
    [property: Id(0)] string Outcome,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyList<string> OverrideIds,
    [property: Id(3)] IReadOnlyList<string>? Ended = null,
    [property: Id(4)] IReadOnlyList<string>? CancelledOverrideIds = null,
    [property: Id(5)] string? Note = null)
{
    public static CapDecision NotShown(string status, string note) => new(CapOutcome.NotShown, status, [], Note: note);
}

namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// An override and its ack tally over the covered signs, as <c>GET /api/overrides/{id}</c> shows it; with phone channels,
/// also each channel's tally (<see cref="Phones"/>) and signs and phones together (<see cref="Totals"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideReport")]
public sealed record OverrideReport(
    [property: Id(0)] string OverrideId,
    [property: Id(1)] string Status,
    [property: Id(2)] string Text,
    [property: Id(3)] string? TemplateId,
    [property: Id(4)] string? Severity,
    [property: Id(5)] string? Urgency,
    [property: Id(6)] string? Category,
    [property: Id(7)] string? Headline,
    [property: Id(8)] string? Instruction,
    [property: Id(9)] DateTimeOffset? ExpiresAt,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? EndedAt,
    [property: Id(12)] OverrideTarget Target,
    [property: Id(13)] int Covered,
    [property: Id(14)] int Acked,
    [property: Id(15)] IReadOnlyList<string> NotAcked,
    [property: Id(16)] IReadOnlyList<string> Unreachable,
    [property: Id(17)] string? CapStatus = null,
    [property: Id(18)] IReadOnlyList<string>? Channels = null,
    [property: Id(19)] IReadOnlyList<OverridePhoneTally>? Phones = null,
    [property: Id(20)] OverrideTotals? Totals = null);

namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>The override a dashboard event is about (<c>override_activated</c>, <c>override_cancelled</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverrideNotice")]
public sealed record OverrideNotice(
    [property: Id(0)] string OverrideId,
    [property: Id(1)] string Status,
    [property: Id(2)] string Text,
    [property: Id(3)] string? Severity,
    [property: Id(4)] string? Urgency,
    [property: Id(5)] string? Category,
    [property: Id(6)] string? Headline,
    [property: Id(7)] string? Instruction,
    [property: Id(8)] DateTimeOffset? ExpiresAt,
    [property: Id(9)] int Covered);

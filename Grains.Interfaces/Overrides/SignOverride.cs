namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// An operator override as a sign receives it (<c>override</c>) and keeps it until cancelled or expired.
/// <see cref="CapStatus"/> is set when a CAP alert raised it (<c>actual</c>, <c>test</c>, <c>exercise</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignOverride")]
public sealed record SignOverride(
    [property: Id(0)] string OverrideId,
    [property: Id(1)] string Text,
    [property: Id(2)] string? TemplateId,
    [property: Id(3)] string? Severity,
    [property: Id(4)] string? Urgency,
    [property: Id(5)] string? Category,
    [property: Id(6)] string? Headline,
    [property: Id(7)] string? Instruction,
    [property: Id(8)] DateTimeOffset? ExpiresAt,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? CapStatus = null)
{
    /// <summary>True once <see cref="ExpiresAt"/> has passed: the override no longer covers anything.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}

namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>One CAP <c>info</c> block: the event, how urgent/severe it is, the text to show and its areas.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapInfo")]
public sealed record CapInfo(
    [property: Id(0)] string Language,
    [property: Id(1)] IReadOnlyList<string> Categories,
    [property: Id(2)] string Event,
    [property: Id(3)] string Urgency,
    [property: Id(4)] string Severity,
    [property: Id(5)] string Certainty,
    [property: Id(6)] string? Headline,
    [property: Id(7)] string? Description,
    [property: Id(8)] string? Instruction,
    [property: Id(9)] DateTimeOffset? Expires,
    [property: Id(10)] IReadOnlyList<CapArea> Areas);

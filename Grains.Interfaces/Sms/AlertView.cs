namespace CityArray.Grains.Interfaces.Sms;

/// <summary>A phone alert with every recipient's delivery state and a tally by state.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.AlertView")]
public sealed record AlertView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Channel,
    [property: Id(2)] string Message,
    [property: Id(3)] string Language,
    [property: Id(4)] string? Zone,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] IReadOnlyList<AlertRecipient> Recipients,
    [property: Id(7)] IReadOnlyDictionary<string, int> Tally,
    [property: Id(8)] string? OverrideId);

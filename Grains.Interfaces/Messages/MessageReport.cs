namespace CityArray.Grains.Interfaces.Messages;

/// <summary>A sent message and its per-sign delivery, as <c>GET /api/messages/{id}</c> shows it.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MessageReport")]
public sealed record MessageReport(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Text,
    [property: Id(2)] string? TemplateId,
    [property: Id(3)] string? Language,
    [property: Id(4)] string Priority,
    [property: Id(5)] int DisplaySeconds,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] MessageTarget Target,
    [property: Id(9)] IReadOnlyList<MessageDelivery> Deliveries);

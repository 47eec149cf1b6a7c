namespace CityArray.Grains.Interfaces.Messages;

/// <summary>A message as a sign receives it (<c>new_message</c>) and as it waits in the sign's queue until acked.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignMessage")]
public sealed record SignMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string Text,
    [property: Id(2)] string? TemplateId,
    [property: Id(3)] string Priority,
    [property: Id(4)] int DisplaySeconds,
    [property: Id(5)] DateTimeOffset? ExpiresAt,
    [property: Id(6)] DateTimeOffset CreatedAt)
{
    /// <summary>True once <see cref="ExpiresAt"/> has passed: the message is no longer delivered.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;
}

namespace CityArray.Grains.Interfaces.Messages;

/// <summary>The message a dashboard event is about: <c>message_sent</c> (text, recipients) or <c>message_ack</c> (the sign).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MessageNotice")]
public sealed record MessageNotice(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string? Text,
    [property: Id(2)] string? Priority,
    [property: Id(3)] int? Recipients,
    [property: Id(4)] string? SignId);

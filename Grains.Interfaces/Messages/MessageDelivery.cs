namespace CityArray.Grains.Interfaces.Messages;

/// <summary>The delivery of one message to one sign.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MessageDelivery")]
public sealed record MessageDelivery(
    [property: Id(0)] string SignId,
    [property: Id(1)] string State,
    [property: Id(2)] DateTimeOffset? SentAt,
    [property: Id(3)] DateTimeOffset? AckedAt)
{
    /// <summary>Sent at <paramref name="at"/>, unless it was already sent or acked.</summary>
    public MessageDelivery Sent(DateTimeOffset at) => State == DeliveryState.Queued ? this with { State = DeliveryState.Sent, SentAt = at } : this;

    /// <summary>Acked at <paramref name="at"/> (a sign can only ack what it received, so it counts as sent too).</summary>
    public MessageDelivery Acked(DateTimeOffset at) => State == DeliveryState.Acked ? this : new(SignId, DeliveryState.Acked, SentAt ?? at, at);
}

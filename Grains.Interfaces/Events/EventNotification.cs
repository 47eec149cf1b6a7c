using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Interfaces.Events;

/// <summary>
/// A message for the participants of one event, published on the event's stream (namespace
/// <c>StreamNames.Events</c>, key = event id). <see cref="Type"/> is the wire message type; only the fields
/// that type uses are set.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.EventNotification")]
public sealed record EventNotification(
    [property: Id(0)] string Type,
    [property: Id(1)] string EventId,
    [property: Id(2)] DateTimeOffset Timestamp,
    [property: Id(3)] string? UserId = null,
    [property: Id(4)] string? Message = null,
    [property: Id(5)] CollectibleView? Collectible = null,
    [property: Id(6)] int? ExpiresIn = null,
    [property: Id(7)] string? Text = null,
    [property: Id(8)] bool? IsFinal = null)
{
    /// <summary><see cref="UserId"/> joined the event.</summary>
    public const string UserJoined = "user_joined";

    /// <summary><see cref="UserId"/> left the event.</summary>
    public const string UserLeft = "user_left";

    /// <summary><see cref="UserId"/> said <see cref="Message"/>.</summary>
    public const string ChatMessage = "chat_message";

    /// <summary><see cref="Collectible"/> dropped; it expires in <see cref="ExpiresIn"/> seconds.</summary>
    public const string CollectibleDrop = "collectible_drop";

    /// <summary>Live transcription: <see cref="Text"/>, final or interim per <see cref="IsFinal"/>.</summary>
    public const string Transcript = "transcript";
}

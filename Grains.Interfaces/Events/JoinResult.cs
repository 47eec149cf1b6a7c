
namespace CityArray.Grains.Interfaces.Events;

/// <summary>
/// The answer to a join: the event after joining, the video room credentials (null without video rooms), and
/// whether the user was a participant already (then no <c>user_joined</c> was published for this call).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.JoinResult")]
public sealed record JoinResult(
    [property: Id(0)] EventView Event,
    [property: Id(1)] string? RoomUrl,
    [property: Id(2)] string? Token,
    [property: Id(3)] bool AlreadyParticipant = false);

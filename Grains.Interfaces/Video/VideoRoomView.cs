namespace CityArray.Grains.Interfaces.Video;

/// <summary>
/// A video room's state: <see cref="Status"/> is <c>none</c> (never asked for), <c>pending</c> (wanted, not created
/// yet), <c>open</c>, <c>closing</c> (deletion wanted, not confirmed yet) or <c>closed</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.VideoRoomView")]
public sealed record VideoRoomView(
    [property: Id(0)] string Status,
    [property: Id(1)] string? RoomName,
    [property: Id(2)] string? RoomUrl,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] int FailedAttempts,
    [property: Id(5)] string? LastError);

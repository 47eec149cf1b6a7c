namespace CityArray.Grains.Video;

/// <summary>Stored state of a <see cref="VideoRoomGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.VideoRoomState")]
public sealed class VideoRoomState
{
    /// <summary>none, pending, open, closing, closed (see <c>VideoRoomView</c>).</summary>
    [Id(0)] public string Status { get; set; } = VideoRoomGrain.None;
    [Id(1)] public string? RoomName { get; set; }
    [Id(2)] public string? RoomUrl { get; set; }
    [Id(3)] public DateTimeOffset? ExpiresAt { get; set; }
    [Id(4)] public int FailedAttempts { get; set; }
    [Id(5)] public string? LastError { get; set; }
}

namespace CityArray.Grains.Interfaces.Civic;

/// <summary>The answer to a join: the event after joining and the video room credentials (null without video rooms).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.JoinResult")]
public sealed record JoinResult(
    [property: Id(0)] EventView Event,
    [property: Id(1)] string? RoomUrl,
    [property: Id(2)] string? Token);

namespace CityArray.Grains.Interfaces.Video;

/// <summary>The room URL and a participant's meeting token; either is null while Daily cannot be reached.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.VideoJoin")]
public sealed record VideoJoin(
    [property: Id(0)] string? RoomUrl,
    [property: Id(1)] string? Token);

using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Interfaces.Events;

/// <summary>An event as clients see it. <see cref="RoomUrl"/> stays null until video rooms are configured.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.EventView")]
public sealed record EventView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Description,
    [property: Id(3)] string Category,
    [property: Id(4)] GeoPoint Coordinates,
    [property: Id(5)] string? Address,
    [property: Id(6)] string CreatorId,
    [property: Id(7)] string? RoomUrl,
    [property: Id(8)] string Status,
    [property: Id(9)] int ParticipantCount,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? EndedAt);

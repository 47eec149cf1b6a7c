using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Civic;

/// <summary>Body of <c>POST /api/users/register</c>.</summary>
public sealed record RegisterUserRequest(string? Phone, string? Name);

/// <summary>Body of <c>POST /api/events</c>; coordinates are <c>[longitude, latitude]</c>.</summary>
public sealed record CreateEventRequest(string? Title, string? Description, string? Category, GeoPoint? Coordinates, string? Address);

/// <summary>Optional body of <c>POST /api/events/{event_id}/collectibles</c>.</summary>
public sealed record DropCollectibleRequest(string? Name, string? Rarity, int? TtlSeconds);

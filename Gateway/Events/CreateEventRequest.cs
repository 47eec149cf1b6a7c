using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Gateway.Events;

/// <summary>Body of <c>POST /api/events</c>; coordinates are <c>[longitude, latitude]</c>.</summary>
public sealed record CreateEventRequest(string? Title, string? Description, string? Category, GeoPoint? Coordinates, string? Address);

using CityArray.Grains.Interfaces.Geo;
using System.Text.Json.Serialization;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Gateway.Events;

/// <summary>The wire shapes of event REST answers and socket messages (snake_case by <c>JsonWire</c>).</summary>
public static class EventWire
{
    /// <summary>An event; <c>room_url</c> is always present (null without video rooms), <c>distance_m</c> only in searches.</summary>
    public sealed record Event(
        string Id,
        string Title,
        string? Description,
        string Category,
        GeoPoint Coordinates,
        string? Address,
        string CreatorId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RoomUrl,
        string Status,
        int ParticipantCount,
        DateTimeOffset CreatedAt,
        DateTimeOffset? EndedAt,
        double? DistanceM);

    /// <summary>The answer to a join: video room credentials, both null without video rooms.</summary>
    public sealed record Join(
        string Message,
        string EventId,
        int ParticipantCount,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RoomUrl,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Token);

    public static Event ToWire(EventView e, double? distanceM = null) => new(
        e.Id, e.Title, e.Description, e.Category, e.Coordinates, e.Address, e.CreatorId, e.RoomUrl,
        e.Status, e.ParticipantCount, e.CreatedAt, e.EndedAt, distanceM is { } d ? Math.Round(d, 1) : null);

    public static Event ToWire(NearbyEvent n) => ToWire(n.Event, n.DistanceM);

    public static Join ToWire(JoinResult j) => new("Joined event", j.Event.Id, j.Event.ParticipantCount, j.RoomUrl, j.Token);

    /// <summary><c>nearby_events</c> socket message.</summary>
    public static object NearbyEvents(IEnumerable<NearbyEvent> events, DateTimeOffset at) =>
        new { type = "nearby_events", events = events.Select(ToWire).ToArray(), timestamp = at };
}

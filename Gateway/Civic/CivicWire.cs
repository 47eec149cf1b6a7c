using CityArray.Grains.Interfaces.Geo;
using System.Text.Json.Serialization;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Gateway.Civic;

/// <summary>The wire shapes of civic REST answers and socket messages (snake_case by <c>JsonWire</c>).</summary>
public static class CivicWire
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

    /// <summary>The answer to a claim: <c>{"success","message"}</c> plus the reason code and, on success, the collectible.</summary>
    public sealed record Claim(bool Success, string Message, string Reason, CollectibleView? Collectible);

    public static Event ToWire(EventView e, double? distanceM = null) => new(
        e.Id, e.Title, e.Description, e.Category, e.Coordinates, e.Address, e.CreatorId, e.RoomUrl,
        e.Status, e.ParticipantCount, e.CreatedAt, e.EndedAt, distanceM is { } d ? Math.Round(d, 1) : null);

    public static Event ToWire(NearbyEvent n) => ToWire(n.Event, n.DistanceM);

    public static Join ToWire(JoinResult j) => new("Joined event", j.Event.Id, j.Event.ParticipantCount, j.RoomUrl, j.Token);

    public static Claim ToWire(ClaimResult r)
    {
        Infrastructure.CityArrayMetrics.Claims.Add(1, new KeyValuePair<string, object?>("outcome", r.Success ? "success" : r.Reason));
        return new(r.Success, r.Message, r.Reason, r.Success ? r.Collectible : null);
    }

    /// <summary><c>nearby_events</c> socket message.</summary>
    public static object NearbyEvents(IEnumerable<NearbyEvent> events, DateTimeOffset at) =>
        new { type = "nearby_events", events = events.Select(ToWire).ToArray(), timestamp = at };

    /// <summary><c>claim_result</c> socket message.</summary>
    public static object ClaimResult(ClaimResult r) => new { type = "claim_result", result = ToWire(r) };
}

using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Security;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Events;

/// <summary>
/// REST for civic events: <c>/api/events</c> (create, nearby search, join, leave, end, drop a collectible). Bad input and
/// broken rules are thrown as <see cref="RequestException"/> (here or by the grains) and become problem documents in one place.
/// </summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/events").WithTags("Civic events");

        events.MapPost("/", async (string? creator_id, CreateEventRequest body, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                if (refused is not null) return refused;
                EntityId.Check(creator_id, "creator_id");
                var draft = new EventDraft(body.Title!, body.Description, body.Category!, body.Coordinates!, body.Address);
                var created = await cluster.GetGrain<IEventGrain>(CivicIds.New()).CreateAsync(creator_id!, draft);
                return Results.Created($"/api/events/{created.Id}", EventWire.ToWire(created));
            })
            .WithSummary("Create an event: title, description, category, coordinates [lng, lat], address");

        events.MapGet("/nearby", async (double? lng, double? lat, double? max_distance, int? limit, IClusterClient cluster) =>
            {
                if (lng is null) throw RequestException.Invalid("lng", "is required");
                if (lat is null) throw RequestException.Invalid("lat", "is required");
                if (lng is not (>= -180 and <= 180)) throw RequestException.Invalid("lng", "must be from -180 to 180");
                if (lat is not (>= -90 and <= 90)) throw RequestException.Invalid("lat", "must be from -90 to 90");
                if (limit is not null and not (>= 1 and <= IEventSearchGrain.MaxLimit))
                    throw RequestException.Invalid("limit", $"must be from 1 to {IEventSearchGrain.MaxLimit}");
                var found = await cluster.GetGrain<IEventSearchGrain>(0).NearbyAsync(
                    new GeoPoint(lng.Value, lat.Value), max_distance ?? IEventSearchGrain.DefaultMaxDistanceM, limit ?? IEventSearchGrain.DefaultLimit);
                return Results.Ok(found.Select(EventWire.ToWire).ToArray());
            })
            .WithSummary("The nearest `limit` (default 20, at most 100) active events within max_distance metres (default 5000, at most 50000), nearest first, with distance_m");

        events.MapGet("/{eventId}", async (string eventId, IClusterClient cluster) =>
            {
                EntityId.Check(eventId, "event_id");
                return await cluster.GetGrain<IEventGrain>(eventId).GetAsync() is { } e ? Results.Ok(EventWire.ToWire(e)) : Problems.NotFound("event", eventId);
            })
            .WithSummary("Event details with participant_count");

        events.MapPost("/{eventId}/join", async (string eventId, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                if (refused is not null) return refused;
                EntityId.Check(eventId, "event_id");
                EntityId.Check(user_id, "user_id");
                return Results.Ok(EventWire.ToWire(await cluster.GetGrain<IEventGrain>(eventId).JoinAsync(user_id!)));
            })
            .WithSummary("Join an event: {room_url, token}, both null without video rooms");

        events.MapPost("/{eventId}/leave", async (string eventId, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                if (refused is not null) return refused;
                EntityId.Check(eventId, "event_id");
                EntityId.Check(user_id, "user_id");
                var left = await cluster.GetGrain<IEventGrain>(eventId).LeaveAsync(user_id!);
                return Results.Ok(new { message = left ? "Left event" : "Not a participant", event_id = eventId });
            })
            .WithSummary("Leave an event");

        events.MapPost("/{eventId}/end", async (string eventId, string? creator_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                if (refused is not null) return refused;
                EntityId.Check(eventId, "event_id");
                EntityId.Check(creator_id, "creator_id");
                await cluster.GetGrain<IEventGrain>(eventId).EndAsync(creator_id!);
                return Results.Ok(new { message = "Event ended" });
            })
            .WithSummary("End an event (creator only, else 403): drops stop and it leaves search at once");

        events.MapPost("/{eventId}/collectibles", async (string eventId, string? creator_id, DropCollectibleRequest? body, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
                {
                    if (security.Secured && http.User.HasOperatorRole(OperatorRoles.Operator))
                    {
                        // An operator drops on the creator's behalf (the event's rules still apply).
                        EntityId.Check(eventId, "event_id");
                        if (await cluster.GetGrain<IEventGrain>(eventId).GetAsync() is not { } ev) return Problems.NotFound("event", eventId);
                        creator_id = ev.CreatorId;
                    }
                    else
                    {
                        (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                        if (refused is not null) return refused;
                    }
                    EntityId.Check(eventId, "event_id");
                    EntityId.Check(creator_id, "creator_id");
                    var drop = new CollectibleDrop(body?.Name, body?.Rarity, body?.TtlSeconds);
                    var collectible = await cluster.GetGrain<IEventGrain>(eventId).DropCollectibleAsync(creator_id!, drop);
                    return Results.Created($"/api/collectibles/{collectible.Id}", collectible);
                })
            .WithSummary("The creator drops a collectible now: optional name, rarity (common|rare|legendary), ttl_seconds");
        return app;
    }
}

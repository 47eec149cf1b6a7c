using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Geo;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;

namespace CityArray.Gateway.Civic;

/// <summary>REST for civic events (CityPulse): <c>/api/users</c>, <c>/api/events</c>, <c>/api/collectibles</c>.</summary>
public static class CivicEndpoints
{
    public static IEndpointRouteBuilder MapCivicEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Civic users");
        var events = app.MapGroup("/api/events").WithTags("Civic events");
        var collectibles = app.MapGroup("/api/collectibles").WithTags("Civic collectibles");

        users.MapPost("/register", async (RegisterUserRequest body, IClusterClient cluster, TokenService tokens) =>
            {
                if (CivicValidation.Phone(body.Phone) is { } phoneReason) return CivicProblems.BadRequest("phone", phoneReason);
                if (CivicValidation.UserName(body.Name) is { } nameReason) return CivicProblems.BadRequest("name", nameReason);
                var result = await cluster.GetGrain<IPhoneRegistryGrain>(PhoneNumber.Normalize(body.Phone)!).RegisterAsync(body.Name!);
                return result.Created
                    ? Results.Created($"/api/users/{result.User.Id}", SecretWire.With(result.User, "token", tokens.IssueUser(result.User.Id)))
                    : Problems.Conflict($"phone {PhoneNumber.Normalize(body.Phone)} is already registered");
            })
            .WithSummary("Register a user by E.164 phone; the answer's token is the user's session token (shown once); a phone already registered is a 409");

        users.MapGet("/{userId}", async (string userId, HttpContext http, IClusterClient cluster) =>
                CivicProblems.CheckId(userId, "user_id")
                ?? (await cluster.GetGrain<IUserGrain>(userId).GetAsync() is { } user
                    // The phone is personal data: only the user (own token) and admins see it.
                    ? Results.Ok(http.User.UserId() == userId || http.User.HasOperatorRole(OperatorRoles.Admin) ? SecretWire.With(user, "phone", user.Phone) : SecretWire.Without(user, "phone"))
                    : Problems.NotFound("user", userId)))
            .WithSummary("A user's profile with stats (events_created, events_attended, collectibles_count); phone only for the user and admins");

        users.MapGet("/{userId}/collectibles", async (string userId, IClusterClient cluster) =>
                CivicProblems.CheckId(userId, "user_id")
                ?? Results.Ok(await cluster.GetGrain<IUserGrain>(userId).GetCollectiblesAsync()))
            .WithSummary("The user's collectibles inventory (an array, oldest claim first)");

        events.MapPost("/", async (string? creator_id, CreateEventRequest body, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                if (refused is not null) return refused;
                if (CivicProblems.CheckId(creator_id, "creator_id") is { } bad) return bad;
                var draft = new EventDraft(body.Title!, body.Description, body.Category!, body.Coordinates!, body.Address);
                var created = await cluster.GetGrain<IEventGrain>(CivicIds.New()).CreateAsync(creator_id!, draft);
                return Results.Created($"/api/events/{created.Id}", CivicWire.ToWire(created));
            })
            .WithSummary("Create an event: title, description, category, coordinates [lng, lat], address");

        events.MapGet("/nearby", async (double? lng, double? lat, double? max_distance, int? limit, IClusterClient cluster) =>
            {
                if (lng is null) return CivicProblems.BadRequest("lng", "is required");
                if (lat is null) return CivicProblems.BadRequest("lat", "is required");
                if (lng is not (>= -180 and <= 180)) return CivicProblems.BadRequest("lng", "must be from -180 to 180");
                if (lat is not (>= -90 and <= 90)) return CivicProblems.BadRequest("lat", "must be from -90 to 90");
                if (limit is not null and not (>= 1 and <= IEventSearchGrain.MaxLimit))
                    return CivicProblems.BadRequest("limit", $"must be from 1 to {IEventSearchGrain.MaxLimit}");
                var found = await cluster.GetGrain<IEventSearchGrain>(0).NearbyAsync(
                    new GeoPoint(lng.Value, lat.Value), max_distance ?? IEventSearchGrain.DefaultMaxDistanceM, limit ?? IEventSearchGrain.DefaultLimit);
                return Results.Ok(found.Select(CivicWire.ToWire).ToArray());
            })
            .WithSummary("The nearest `limit` (default 20, at most 100) active events within max_distance metres (default 5000, at most 50000), nearest first, with distance_m");

        events.MapGet("/{eventId}", async (string eventId, IClusterClient cluster) =>
                CivicProblems.CheckId(eventId, "event_id")
                ?? (await cluster.GetGrain<IEventGrain>(eventId).GetAsync() is { } e ? Results.Ok(CivicWire.ToWire(e)) : Problems.NotFound("event", eventId)))
            .WithSummary("Event details with participant_count");

        events.MapPost("/{eventId}/join", async (string eventId, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                return refused ?? CivicProblems.CheckId(eventId, "event_id") ?? CivicProblems.CheckId(user_id, "user_id")
                    ?? Results.Ok(CivicWire.ToWire(await cluster.GetGrain<IEventGrain>(eventId).JoinAsync(user_id!)));
            })
            .WithSummary("Join an event: {room_url, token}, both null without video rooms");

        events.MapPost("/{eventId}/leave", async (string eventId, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                if (refused is not null) return refused;
                if ((CivicProblems.CheckId(eventId, "event_id") ?? CivicProblems.CheckId(user_id, "user_id")) is { } bad) return bad;
                var left = await cluster.GetGrain<IEventGrain>(eventId).LeaveAsync(user_id!);
                return Results.Ok(new { message = left ? "Left event" : "Not a participant", event_id = eventId });
            })
            .WithSummary("Leave an event");

        events.MapPost("/{eventId}/end", async (string eventId, string? creator_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                if (refused is not null) return refused;
                if ((CivicProblems.CheckId(eventId, "event_id") ?? CivicProblems.CheckId(creator_id, "creator_id")) is { } bad) return bad;
                await cluster.GetGrain<IEventGrain>(eventId).EndAsync(creator_id!);
                return Results.Ok(new { message = "Event ended" });
            })
            .WithSummary("End an event (creator only, else 403): drops stop and it leaves search at once");

        events.MapPost("/{eventId}/collectibles", async (string eventId, string? creator_id, DropCollectibleRequest? body, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
                {
                    if (security.Secured && http.User.HasOperatorRole(OperatorRoles.Operator))
                    {
                        // An operator drops on the creator's behalf (the event's rules still apply).
                        if (CivicProblems.CheckId(eventId, "event_id") is { } badEvent) return badEvent;
                        if (await cluster.GetGrain<IEventGrain>(eventId).GetAsync() is not { } ev) return Problems.NotFound("event", eventId);
                        creator_id = ev.CreatorId;
                    }
                    else
                    {
                        (creator_id, var refused) = Caller.ActingUser(http, security, creator_id, "creator_id");
                        if (refused is not null) return refused;
                    }
                    if ((CivicProblems.CheckId(eventId, "event_id") ?? CivicProblems.CheckId(creator_id, "creator_id")) is { } bad) return bad;
                    var drop = new CollectibleDrop(body?.Name, body?.Rarity, body?.TtlSeconds);
                    var collectible = await cluster.GetGrain<IEventGrain>(eventId).DropCollectibleAsync(creator_id!, drop);
                    return Results.Created($"/api/collectibles/{collectible.Id}", collectible);
                })
            .WithSummary("The creator drops a collectible now: optional name, rarity (common|rare|legendary), ttl_seconds");

        collectibles.MapPost("/claim", async (string? collectible_id, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                return refused ?? CivicProblems.CheckId(collectible_id, "collectible_id") ?? CivicProblems.CheckId(user_id, "user_id")
                    ?? Results.Ok(CivicWire.ToWire(await cluster.GetGrain<ICollectibleGrain>(collectible_id!).ClaimAsync(user_id!)));
            })
            .WithSummary("Claim a collectible: exactly one claimer ever wins; {success, message, reason}");

        collectibles.MapGet("/{collectibleId}", async (string collectibleId, IClusterClient cluster) =>
                CivicProblems.CheckId(collectibleId, "collectible_id")
                ?? (await cluster.GetGrain<ICollectibleGrain>(collectibleId).GetAsync() is { } c ? Results.Ok(c) : Problems.NotFound("collectible", collectibleId)))
            .WithSummary("One collectible: status active, claimed (with claimed_by, claimed_at) or expired; the Location of a manual drop");

        collectibles.MapGet("/active/{eventId}", async (string eventId, IClusterClient cluster) =>
                CivicProblems.CheckId(eventId, "event_id")
                ?? Results.Ok(await cluster.GetGrain<IEventGrain>(eventId).GetActiveCollectiblesAsync()))
            .WithSummary("The event's unclaimed, unexpired collectibles");
        return app;
    }
}

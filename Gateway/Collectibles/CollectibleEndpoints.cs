using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Collectibles;

/// <summary>REST for civic collectibles: <c>/api/collectibles</c> (claims, one collectible, an event's active ones).</summary>
public static class CollectibleEndpoints
{
    public static IEndpointRouteBuilder MapCollectibleEndpoints(this IEndpointRouteBuilder app)
    {
        var collectibles = app.MapGroup("/api/collectibles").WithTags("Civic collectibles");

        collectibles.MapPost("/claim", async (string? collectible_id, string? user_id, HttpContext http, SecurityOptions security, IClusterClient cluster) =>
            {
                (user_id, var refused) = Caller.ActingUser(http, security, user_id, "user_id");
                if (refused is not null) return refused;
                EntityId.Check(collectible_id, "collectible_id");
                EntityId.Check(user_id, "user_id");
                return Results.Ok(CollectibleWire.ToWire(await cluster.GetGrain<ICollectibleGrain>(collectible_id!).ClaimAsync(user_id!)));
            })
            .WithSummary("Claim a collectible: exactly one claimer ever wins; {success, message, reason}");

        collectibles.MapGet("/{collectibleId}", async (string collectibleId, IClusterClient cluster) =>
            {
                EntityId.Check(collectibleId, "collectible_id");
                return await cluster.GetGrain<ICollectibleGrain>(collectibleId).GetAsync() is { } c ? Results.Ok(c) : Problems.NotFound("collectible", collectibleId);
            })
            .WithSummary("One collectible: status active, claimed (with claimed_by, claimed_at) or expired; the Location of a manual drop");

        collectibles.MapGet("/active/{eventId}", async (string eventId, IClusterClient cluster) =>
            {
                EntityId.Check(eventId, "event_id");
                return Results.Ok(await cluster.GetGrain<IEventGrain>(eventId).GetActiveCollectiblesAsync());
            })
            .WithSummary("The event's unclaimed, unexpired collectibles");
        return app;
    }
}

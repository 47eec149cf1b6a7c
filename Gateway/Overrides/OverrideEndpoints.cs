using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Templates;
using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Gateway.Overrides;

/// <summary>REST for operator overrides: <c>POST /api/overrides</c>, the ack tally <c>GET /api/overrides/{id}</c>, and <c>DELETE</c> to cancel.</summary>
public static class OverrideEndpoints
{
    public static IEndpointRouteBuilder MapOverrideEndpoints(this IEndpointRouteBuilder app)
    {
        var overrides = app.MapGroup("/api/overrides").WithTags("Overrides");

        overrides.MapPost("/", async (OverrideRequest body, IClusterClient cluster, TimeProvider clock) =>
            {
                var now = clock.GetUtcNow();
                if (body.Validate(now) is { } invalid) return Problems.BadRequest(invalid.Field, invalid.Reason);
                var (text, error) = await body.ResolveTextAsync(cluster);
                if (error is { } e) return Problems.BadRequest(e.Field, e.Reason);
                var id = EntityIds.NewOverride();
                var report = await cluster.GetGrain<IOverrideGrain>(id).ActivateAsync(body.ToOverride(id, text!, now), body.ToTarget());
                return Results.Created($"/api/overrides/{id}", report);
            })
            .WithSummary("Override the covered signs (sign_ids, a zone, all, or an area) at once; it wins over messages until cancelled or expired");

        overrides.MapGet("/{overrideId}", async (string overrideId, IClusterClient cluster) =>
                await cluster.GetGrain<IOverrideGrain>(overrideId).GetAsync() is { } report ? Results.Ok(report) : Problems.NotFound("override", overrideId))
            .WithSummary("The override and its tally: covered, acked, not_acked and unreachable (offline) sign ids");

        overrides.MapDelete("/{overrideId}", async (string overrideId, IClusterClient cluster) =>
            {
                var grain = cluster.GetGrain<IOverrideGrain>(overrideId);
                return await grain.CancelAsync() switch
                {
                    null => Problems.NotFound("override", overrideId),
                    OverrideStatus.Active => Results.Ok(await grain.GetAsync()),
                    var status => Problems.Conflict($"override '{overrideId}' is already {status}"),
                };
            })
            .WithSummary("Cancel an active override; covered signs get override_cancelled (404 unknown, 409 already cancelled or expired)");
        return app;
    }
}

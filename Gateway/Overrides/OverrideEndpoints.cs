using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Sms;
using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Gateway.Overrides;

/// <summary>REST for operator overrides: <c>POST /api/overrides</c>, the ack tally <c>GET /api/overrides/{id}</c>, and <c>DELETE</c> to cancel.</summary>
public static class OverrideEndpoints
{
    public static IEndpointRouteBuilder MapOverrideEndpoints(this IEndpointRouteBuilder app)
    {
        var overrides = app.MapGroup("/api/overrides").WithTags("Overrides");

        overrides.MapPost("/", (OverrideRequest body, IClusterClient cluster, Grains.CityArrayClock clock, TwilioWebhook twilio) =>
            {
                var (id, now) = (EntityIds.NewOverride(), clock.GetUtcNow());
                // A phone channel without Twilio is refused before anything is raised: the operator learns at once that
                // nobody would be texted or called, and can send to the signs alone (channels omitted or ["signs"]).
                if (body.Validate(now) is null && !twilio.Enabled && body.PhoneChannels.FirstOrDefault() is { } channel)
                    return Task.FromResult(Problems.Unavailable(
                        $"channel '{channel}' needs Twilio, which is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER, or send to ['signs'] only"));
                return body.SendAsync(cluster, now, $"/api/overrides/{id}",
                    text => cluster.GetGrain<IOverrideGrain>(id).ActivateAsync(body.ToOverride(id, text, now), body.ToTarget(), body.ToPhones()));
            })
            .RequireRole(OperatorRoles.Operator)
            .WithSummary("Override the covered signs (sign_ids, a zone, all, or an area) at once; it wins over messages until cancelled or expired");

        overrides.MapGet("/{overrideId}", async (string overrideId, IClusterClient cluster) =>
                await cluster.GetGrain<IOverrideGrain>(overrideId).GetAsync() is { } report ? Results.Ok(report) : Problems.NotFound("override", overrideId))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("The override and its tally: covered, acked, not_acked and unreachable (offline) sign ids; with phone channels, phones and totals");

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
            .RequireRole(OperatorRoles.Operator)
            .WithSummary("Cancel an active override; covered signs get override_cancelled (404 unknown, 409 already cancelled or expired)");
        return app;
    }
}

using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>REST for the fleet: <c>/api/signs</c>.</summary>
public static class SignEndpoints
{
    public static IEndpointRouteBuilder MapSignEndpoints(this IEndpointRouteBuilder app)
    {
        var signs = app.MapGroup("/api/signs").WithTags("Signs");

        signs.MapGet("/", async (IClusterClient cluster) =>
                Results.Ok(await cluster.GetGrain<IFleetGrain>(0).GetAllSignsAsync()))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("Fleet status: every known sign");

        signs.MapGet("/{signId}", async (string signId, IClusterClient cluster) =>
                SignId.Validate(signId) is { } reason ? Problems.BadRequest("sign_id", reason)
                : await cluster.GetGrain<ISignGrain>(signId).GetAsync() is { } sign ? Results.Ok(sign)
                : Problems.NotFound("sign", signId))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("One sign's status");

        signs.MapPut("/{signId}", async (string signId, SignRegistrationRequest body, IClusterClient cluster) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                body.Validate();
                var registration = new SignRegistration(body.Name?.Trim(), body.Zone, body.Coordinates);
                var sign = await cluster.GetGrain<ISignGrain>(signId).RegisterAsync(registration);
                // A sign without an active secret gets one now; it is shown this once and stored only as a hash.
                var secret = await cluster.GetGrain<ISignCredentialGrain>(signId).ProvisionAsync();
                return Results.Ok(SecretWire.With(sign, "secret", secret));
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Register a sign or update its name, zone and coordinates; the first time (or after a revoke) the answer holds its secret, once");

        signs.MapPost("/{signId}/secret", async (string signId, IClusterClient cluster, SignHub connections) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                if (await cluster.GetGrain<ISignGrain>(signId).GetAsync() is null) return Problems.NotFound("sign", signId);
                var secret = await cluster.GetGrain<ISignCredentialGrain>(signId).RotateAsync();
                connections.CloseAll(signId, "the sign's secret was rotated: reconnect with the new one");
                return Results.Ok(new { sign_id = signId, secret });
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Rotate the sign's secret: the new one is returned once and the old one stops working at once");

        signs.MapDelete("/{signId}/secret", async (string signId, IClusterClient cluster, SignHub connections) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                if (!await cluster.GetGrain<ISignCredentialGrain>(signId).RevokeAsync()) return Problems.NotFound("sign secret", signId);
                connections.CloseAll(signId, "the sign's secret was revoked");
                return Results.NoContent();
            })
            .RequireRole(OperatorRoles.Admin)
            .WithSummary("Revoke the sign's secret: it cannot connect until PUT /api/signs/{id} provisions a new one"); 

        signs.MapGet("/{signId}/metrics", async (string signId, IClusterClient cluster, int? limit) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                if (limit is < 1 or > 1000) return Problems.BadRequest("limit", "must be from 1 to 1000");
                var sign = cluster.GetGrain<ISignGrain>(signId);
                if (await sign.GetAsync() is null) return Problems.NotFound("sign", signId);
                return Results.Ok(new { sign_id = signId, samples = await sign.GetMetricsAsync(limit ?? 100) });
            })
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("The sign's most recent metrics samples, oldest first");

        signs.MapPost("/{signId}/request_status", async (string signId, IClusterClient cluster) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                var sign = cluster.GetGrain<ISignGrain>(signId);
                if (await sign.GetAsync() is null) return Problems.NotFound("sign", signId);
                return await sign.RequestStatusAsync()
                    ? Results.Accepted(value: new { sign_id = signId, requested = true })
                    : Problems.Conflict($"sign '{signId}' is not connected");
            })
            .RequireRole(OperatorRoles.Operator)
            .WithSummary("Ask a connected sign to send a heartbeat now (request_status)");
        return app;
    }
}

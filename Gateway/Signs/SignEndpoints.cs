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
            .WithSummary("Fleet status: every known sign");

        signs.MapGet("/{signId}", async (string signId, IClusterClient cluster) =>
                SignId.Validate(signId) is { } reason ? Problems.BadRequest("sign_id", reason)
                : await cluster.GetGrain<ISignGrain>(signId).GetAsync() is { } sign ? Results.Ok(sign)
                : Problems.NotFound("sign", signId))
            .WithSummary("One sign's status");

        signs.MapPut("/{signId}", async (string signId, SignRegistrationRequest body, IClusterClient cluster) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                if (body.Validate() is { } invalid) return Problems.BadRequest(invalid.Field, invalid.Reason);
                var registration = new SignRegistration(body.Name?.Trim(), body.Zone, body.Coordinates);
                return Results.Ok(await cluster.GetGrain<ISignGrain>(signId).RegisterAsync(registration));
            })
            .WithSummary("Register a sign or update its name, zone and coordinates");

        signs.MapGet("/{signId}/metrics", async (string signId, IClusterClient cluster, int? limit) =>
            {
                if (SignId.Validate(signId) is { } reason) return Problems.BadRequest("sign_id", reason);
                if (limit is < 1 or > 1000) return Problems.BadRequest("limit", "must be from 1 to 1000");
                var sign = cluster.GetGrain<ISignGrain>(signId);
                if (await sign.GetAsync() is null) return Problems.NotFound("sign", signId);
                return Results.Ok(new { sign_id = signId, samples = await sign.GetMetricsAsync(limit ?? 100) });
            })
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
            .WithSummary("Ask a connected sign to send a heartbeat now (request_status)");
        return app;
    }
}

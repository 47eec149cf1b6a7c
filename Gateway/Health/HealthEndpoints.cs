using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Health;

namespace CityArray.Gateway.Health;

/// <summary><c>/health</c> (process up) and <c>/ready</c> (cluster reachable, storage writable).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithTags("Health").WithSummary("The process is up");

        app.MapGet("/ready", async (IClusterClient cluster, Security.SecurityOptions security, CancellationToken ct) =>
            {
                try
                {
                    var probe = cluster.GetGrain<IReadinessProbeGrain>(Environment.MachineName);
                    var wrote = await probe.ProbeAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
                    return Results.Ok(new
                    {
                        status = "ready", cluster = "reachable", storage = "writable", checked_at = wrote,
                        security = security.Secured ? "secured" : "open",
                        warning = security.Secured ? null : Security.SecurityOptions.OpenWarning,
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    return Problems.Unavailable($"not ready: {e.GetType().Name}: {e.Message}");
                }
            })
            .WithTags("Health").WithSummary("The cluster answers and storage is writable");
        return app;
    }
}

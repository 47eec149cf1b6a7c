using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Health;

namespace CityArray.Gateway.Health;

/// <summary><c>/health</c> (process up) and <c>/ready</c> (cluster reachable, storage writable).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithTags("Health").WithSummary("The process is up");

        app.MapGet("/ready", async (IClusterClient cluster, ILoggerFactory logs, CancellationToken ct) =>
            {
                try
                {
                    var probe = cluster.GetGrain<IReadinessProbeGrain>(Environment.MachineName);
                    var wrote = await probe.ProbeAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
                    return Results.Ok(new { status = "ready", cluster = "reachable", storage = "writable", checked_at = wrote });
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // The exception text stays in the log: it may name hosts, tables or credentials' users.
                    logs.CreateLogger("CityArray.Health").LogWarning(e, "Readiness probe failed");
                    return Problems.Unavailable(e is TimeoutException or OperationCanceledException
                        ? "not ready: the cluster did not answer in time"
                        : "not ready: the cluster or its storage is unavailable (see the server log)");
                }
            })
            .WithTags("Health").WithSummary("The cluster answers and storage is writable");
        return app;
    }
}

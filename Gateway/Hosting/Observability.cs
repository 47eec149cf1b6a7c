using CityArray.Gateway.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using CityArray.Silo.Hosting;

namespace CityArray.Gateway.Hosting;

/// <summary>
/// OpenTelemetry metrics and traces (ASP.NET Core, Orleans' meter and activity sources, CityArray's own meter), a
/// Prometheus scrape endpoint at <c>GET /metrics</c>, the Orleans dashboard under <c>ORLEANS_DASHBOARD_PATH</c>, and
/// quiet start-up logs. See docs/operations.md.
/// </summary>
public static class Observability
{
    public static IServiceCollection AddCityArrayTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cityarray-gateway"))
            .WithMetrics(m => m
                .AddMeter(CityArrayMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());
        // Traces only when exported (OTEL_EXPORTER_OTLP_ENDPOINT): a listener makes ASP.NET Core create an Activity per
        // request, and a socket's request (with its Activity and tags) lives as long as the socket.
        if (Telemetry.TracesExported(config))
            telemetry.WithTracing(t => t
                .AddSource(CityArrayMetrics.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/metrics"))
                .AddOtlpWhenConfigured(config));
        services.AddSingleton<IOutgoingGrainCallFilter, GrainCallMetricsFilter>();
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (Prometheus text format) and the Orleans dashboard.</summary>
    public static void MapObservability(this WebApplication app, string? dashboardPath)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (!string.IsNullOrEmpty(dashboardPath))
        {
            // Admins only (docs/operations.md): third-party pages that show the cluster's internals.
            Security.RolePolicies.RequireRole(app.MapOrleansDashboard(routePrefix: dashboardPath), Grains.Interfaces.Security.OperatorRoles.Admin);
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CityArray.Silo.Hosting;

/// <summary>
/// A standalone silo's scrape endpoint: a small Kestrel listener on <c>SILO_METRICS_PORT</c> (off when unset or 0) bound to
/// <c>SILO_METRICS_HOST</c> (default 0.0.0.0) serving <c>GET /metrics</c> (Prometheus text: Orleans' instruments, runtime
/// included) and <c>GET /health</c> (the process is up). Its own small host, so the silo stays a generic host.
/// </summary>
public sealed class SiloMetricsEndpoint(string host, int port, ILogger<SiloMetricsEndpoint> logger) : IHostedService
{
    private WebApplication? _app;

    /// <summary>Registers the endpoint when <c>SILO_METRICS_PORT</c> is set.</summary>
    public static void AddTo(IServiceCollection services, IConfiguration config)
    {
        var port = CityArraySettings.ReadInt(config, "SILO_METRICS_PORT", 0, 0, 65535);
        if (port == 0) return;
        var host = config["SILO_METRICS_HOST"] is { Length: > 0 } h ? h : "0.0.0.0";
        services.AddHostedService(sp => new SiloMetricsEndpoint(host, port, sp.GetRequiredService<ILogger<SiloMetricsEndpoint>>()));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cityarray-silo"))
            .WithMetrics(m => m.AddMeter(Telemetry.OrleansMeter, Telemetry.CityArraySource).AddPrometheusExporter());
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/health", () => Results.Text("ok"));
        await app.StartAsync(cancellationToken);
        _app = app;
        logger.LogInformation("Silo metrics on http://{Host}:{Port}/metrics", host, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is null) return;
        await _app.StopAsync(cancellationToken);
        await _app.DisposeAsync();
    }
}

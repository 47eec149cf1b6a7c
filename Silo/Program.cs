using Microsoft.Extensions.DependencyInjection;
using CityArray.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using Orleans.Hosting;
using OpenTelemetry.Trace;

var builder = Host.CreateApplicationBuilder(args);
QuietLogs.Apply(builder.Configuration);
var settings = CityArraySettings.From(builder.Configuration);
if (!settings.Database.IsPostgres)
{
    Console.Error.WriteLine("A standalone silo is for cluster mode: set DATABASE_URL=postgresql://user:pass@host:port/db. " +
                            "For one machine, run the embedded system instead: dotnet run --project Gateway");
    return 2;
}
builder.UseOrleans(silo =>
{
    silo.UseCityArray(settings, builder.Configuration);
    if (Telemetry.TracesExported(builder.Configuration)) silo.AddActivityPropagation();
});
// Traces go to an OTLP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set; /metrics on SILO_METRICS_PORT (docs/operations.md).
if (Telemetry.TracesExported(builder.Configuration))
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(r => r.AddService("cityarray-silo"))
        .WithTracing(t => t.AddSource([Telemetry.CityArraySource, .. Telemetry.OrleansActivitySources]).AddOtlpWhenConfigured(builder.Configuration));
SiloMetricsEndpoint.AddTo(builder.Services, builder.Configuration);
// Shorter than the Kubernetes grace period (30 s): grains finish their calls and write what is dirty, then the process exits.
var shutdown = TimeSpan.FromSeconds(CityArraySettings.ReadInt(builder.Configuration, "SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 3600));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown);
await builder.Build().RunAsync();
return 0;

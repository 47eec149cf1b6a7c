using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace CityArray.Silo.Hosting;

/// <summary>
/// OpenTelemetry pieces shared by silos and gateways: Orleans' meter and activity sources, and the OTLP trace exporter,
/// which is on only when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>,
/// <c>OTEL_EXPORTER_OTLP_HEADERS</c>, ... read by the exporter itself). See docs/operations.md.
/// </summary>
public static class Telemetry
{
    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>CityArray's own meter and activity source (instruments in the gateway's <c>CityArrayMetrics</c>).</summary>
    public const string CityArraySource = "CityArray";

    /// <summary>Orleans' activity sources (grain calls; created when activity propagation is on).</summary>
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>True when traces are exported (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set).</summary>
    public static bool TracesExported(IConfiguration config) => !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Adds the OTLP exporter when <see cref="TracesExported"/>; traces stay in-process otherwise.</summary>
    public static TracerProviderBuilder AddOtlpWhenConfigured(this TracerProviderBuilder tracing, IConfiguration config) =>
        TracesExported(config) ? tracing.AddOtlpExporter() : tracing;
}

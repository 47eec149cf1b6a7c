using CityArray.Grains.Interfaces.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CityArray.Silo.Hosting;

/// <summary>Reads <see cref="InputLimits"/> from environment variables; silos and gateways both register it.</summary>
public static class InputLimitsConfiguration
{
    /// <summary>
    /// <c>MAX_RENDERED_TEXT</c>, <c>MAX_POLYGON_POINTS</c>, <c>CAP_MAX_REFERENCES</c>, <c>CAP_MAX_SHAPES</c>,
    /// <c>CAP_MAX_ID_LENGTH</c>, <c>CAP_MAX_BODY_BYTES</c> and <c>SIGN_MAX_METRICS</c>; a value out of its range stops
    /// the process at start with a message naming the variable.
    /// </summary>
    public static InputLimits From(IConfiguration config) => new()
    {
        MaxRenderedText = CityArraySettings.ReadInt(config, "MAX_RENDERED_TEXT", InputLimits.Default.MaxRenderedText, 100, 100_000),
        MaxPolygonPoints = CityArraySettings.ReadInt(config, "MAX_POLYGON_POINTS", InputLimits.Default.MaxPolygonPoints, 4, 100_000),
        MaxCapReferences = CityArraySettings.ReadInt(config, "CAP_MAX_REFERENCES", InputLimits.Default.MaxCapReferences, 1, 10_000),
        MaxCapShapes = CityArraySettings.ReadInt(config, "CAP_MAX_SHAPES", InputLimits.Default.MaxCapShapes, 1, 10_000),
        MaxCapIdLength = CityArraySettings.ReadInt(config, "CAP_MAX_ID_LENGTH", InputLimits.Default.MaxCapIdLength, 1, InputLimits.MaxCapIdLengthLimit),
        MaxCapBodyBytes = CityArraySettings.ReadInt(config, "CAP_MAX_BODY_BYTES", InputLimits.Default.MaxCapBodyBytes, 1024, 64 * 1024 * 1024),
        MaxMetrics = CityArraySettings.ReadInt(config, "SIGN_MAX_METRICS", InputLimits.Default.MaxMetrics, 1, 1024),
    };

    /// <summary>Registers the limits read from <paramref name="config"/> unless some are registered already.</summary>
    public static IServiceCollection AddInputLimits(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(From(config));
        return services;
    }
}

using System.Globalization;
using CityArray.Grains.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Reads <c>RETENTION_EVENTS_DAYS</c> (default 30), <c>RETENTION_COLLECTIBLES_DAYS</c> (7), <c>RETENTION_SUBMISSIONS_DAYS</c> (30)
/// <c>RETENTION_METRICS_DAYS</c> (7), <c>RETENTION_MESSAGES_DAYS</c> (7) and <c>RETENTION_OVERRIDES_DAYS</c> (30) into <see cref="RetentionOptions"/>.
/// </summary>
public static class RetentionConfiguration
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration config)
    {
        var events = ReadDays(config, "RETENTION_EVENTS_DAYS", 30);
        var collectibles = ReadDays(config, "RETENTION_COLLECTIBLES_DAYS", 7);
        var submissions = ReadDays(config, "RETENTION_SUBMISSIONS_DAYS", 30);
        var metrics = ReadDays(config, "RETENTION_METRICS_DAYS", 7);
        var messages = ReadDays(config, "RETENTION_MESSAGES_DAYS", 7);
        var overrides = ReadDays(config, "RETENTION_OVERRIDES_DAYS", 30);
        services.Configure<RetentionOptions>(o =>
        {
            o.Events = events;
            o.Collectibles = collectibles;
            o.Submissions = submissions;
            o.Metrics = metrics;
            o.Messages = messages;
            o.Overrides = overrides;
        });
        // Sign grains read their metrics age limit with their other settings.
        services.Configure<CityArray.Grains.Signs.SignageOptions>(o => o.MetricsMaxAge = metrics);
        return services;
    }

    /// <summary>Days as a decimal number (0.0001 to 3650; fractions let tests and demos use seconds).</summary>
    private static TimeSpan ReadDays(IConfiguration config, string name, double defaultDays)
    {
        var raw = config[name];
        if (string.IsNullOrWhiteSpace(raw)) return TimeSpan.FromDays(defaultDays);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var days) || days is < 0.0001 or > 3650)
            throw new FormatException($"{name} must be a number of days from 0.0001 to 3650, not '{raw}'");
        return TimeSpan.FromDays(days);
    }
}

using System.Globalization;
using CityArray.Grains.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Silo.Hosting;

/// <summary>Reads <c>RETENTION_EVENTS_DAYS</c> (default 30) and <c>RETENTION_COLLECTIBLES_DAYS</c> (default 7) into <see cref="RetentionOptions"/>.</summary>
public static class RetentionConfiguration
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration config)
    {
        var events = ReadDays(config, "RETENTION_EVENTS_DAYS", 30);
        var collectibles = ReadDays(config, "RETENTION_COLLECTIBLES_DAYS", 7);
        services.Configure<RetentionOptions>(o =>
        {
            o.Events = events;
            o.Collectibles = collectibles;
        });
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

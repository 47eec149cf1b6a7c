using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CityArray.Grains;
using CityArray.Grains.Video;

namespace CityArray.Silo.Hosting;

/// <summary>Registers the civic (CityPulse) grain settings and services in a silo.</summary>
public static class CivicConfiguration
{
    /// <summary>
    /// Reads <c>COLLECTIBLE_DROP_INTERVAL_SECONDS</c> (default 300) and <c>COLLECTIBLE_TTL_SECONDS</c> (default 30)
    /// and <c>EVENT_MAX_HOURS</c> (default 24, 1-8760) into <see cref="CivicOptions"/> and registers the default <see cref="IVideoRooms"/> (none) unless one is
    /// registered already.
    /// </summary>
    public static IServiceCollection AddCivic(this IServiceCollection services, IConfiguration config)
    {
        var dropSeconds = CityArraySettings.ReadInt(config, "COLLECTIBLE_DROP_INTERVAL_SECONDS", 300, 1, 86_400);
        var ttlSeconds = CityArraySettings.ReadInt(config, "COLLECTIBLE_TTL_SECONDS", 30, 1, 86_400);
        var maxEventHours = CityArraySettings.ReadInt(config, "EVENT_MAX_HOURS", 24, 1, 8_760);
        // Orleans' own clock, and the one CityArray's rules read (tests may register a TestClock-backed one first).
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CityArray.Grains.CityArrayClock.System);
        services.TryAddSingleton<CityArray.Grains.Timers.GrainDeadlines>();
        services.Configure<CivicOptions>(o =>
        {
            o.MaxEventLifetime = TimeSpan.FromHours(maxEventHours);
            o.DropInterval = TimeSpan.FromSeconds(dropSeconds);
            o.CollectibleTtl = TimeSpan.FromSeconds(ttlSeconds);
        });
        services.TryAddSingleton<IVideoRooms, NoVideoRooms>();
        services.TryAddSingleton<CityArray.Grains.ReadModel.IReadModel, CityArray.Grains.ReadModel.NoReadModel>();
        return services;
    }
}

using CityArray.Silo.Hosting;

namespace CityArray.Gateway.Hosting;

/// <summary>Gateway settings from the environment (see the README's configuration table).</summary>
public sealed record GatewayOptions
{
    /// <summary>How often a connected sign gets a <c>ping</c> message (env <c>SIGN_PING_SECONDS</c>).</summary>
    public TimeSpan SignPingInterval { get; init; } = TimeSpan.FromSeconds(25);

    public static GatewayOptions From(IConfiguration config) => new()
    {
        SignPingInterval = TimeSpan.FromSeconds(CityArraySettings.ReadInt(config, "SIGN_PING_SECONDS", 25, 1, 3600)),
    };
}

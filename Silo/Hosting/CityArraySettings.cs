using System.Net;
using Microsoft.Extensions.Configuration;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Process-wide settings read from environment variables (names as in the README), shared by the silo
/// and the gateway.
/// </summary>
public sealed record CityArraySettings
{
    public required DatabaseUrl Database { get; init; }
    public string ClusterId { get; init; } = "cityarray";
    public string ServiceId { get; init; } = "cityarray";

    /// <summary>Orleans silo-to-silo port; 0 picks a free port (the embedded default).</summary>
    public int SiloPort { get; init; }

    /// <summary>Orleans client gateway port; 0 picks a free port (the embedded default).</summary>
    public int GatewayPort { get; init; }

    /// <summary>The address other silos and gateways reach this silo on.</summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Reads the settings; throws <see cref="FormatException"/> naming the variable that is wrong.</summary>
    public static CityArraySettings From(IConfiguration config)
    {
        var database = DatabaseUrl.Parse(config["DATABASE_URL"]);
        var clusterDefaultPort = database.IsPostgres;
        return new CityArraySettings
        {
            Database = database,
            ClusterId = config["ORLEANS_CLUSTER_ID"] is { Length: > 0 } c ? c : "cityarray",
            ServiceId = config["ORLEANS_SERVICE_ID"] is { Length: > 0 } s ? s : "cityarray",
            SiloPort = ReadPort(config, "ORLEANS_SILO_PORT", clusterDefaultPort ? 11111 : 0),
            GatewayPort = ReadPort(config, "ORLEANS_GATEWAY_PORT", clusterDefaultPort ? 30000 : 0),
            AdvertisedAddress = config["ORLEANS_ADVERTISED_IP"] is { Length: > 0 } ip
                ? IPAddress.TryParse(ip, out var parsed) ? parsed : throw new FormatException($"ORLEANS_ADVERTISED_IP '{ip}' is not an IP address")
                : IPAddress.Loopback,
        };
    }

    /// <summary>Reads a whole number setting within a range, or its default when unset.</summary>
    public static int ReadInt(IConfiguration config, string name, int defaultValue, int min, int max)
    {
        var raw = config[name];
        if (string.IsNullOrWhiteSpace(raw)) return defaultValue;
        if (!int.TryParse(raw, out var value) || value < min || value > max)
            throw new FormatException($"{name} must be a whole number from {min} to {max}, not '{raw}'");
        return value;
    }

    private static int ReadPort(IConfiguration config, string name, int defaultValue) =>
        ReadInt(config, name, defaultValue, 0, 65535);
}

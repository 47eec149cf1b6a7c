using System.Net;
using System.Security.Cryptography;
using System.Text;
using CityArray.Grains.Interfaces.Security;
using CityArray.Silo.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace CityArray.Gateway.Security;

/// <summary>
/// The security settings (README, docs/security.md). <see cref="Secured"/> when <c>SECRET_KEY</c> is set or in cluster
/// mode (where a missing key refuses to start); otherwise the embedded default runs open and says so.
/// </summary>
public sealed class SecurityOptions
{
    public const int MinKeyBytes = 32;

    /// <summary>True: operators, signs and users must present credentials. False: open mode (local use only).</summary>
    public required bool Secured { get; init; }

    /// <summary>Keys that sign and verify tokens: the current key first, then <c>SECRET_KEY_PREVIOUS</c> (verify only).</summary>
    public required IReadOnlyList<SymmetricSecurityKey> SigningKeys { get; init; }

    public TimeSpan OperatorTokenLifetime { get; init; } = TimeSpan.FromHours(8);
    public TimeSpan UserTokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Origins allowed for cross-origin REST and sockets (<c>CORS_ORIGINS</c>); empty = same origin only.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Proxies whose X-Forwarded-For is believed (<c>FORWARDED_PROXIES</c>: addresses or CIDR networks).</summary>
    public IReadOnlyList<IPAddress> ForwardedProxies { get; init; } = [];
    public IReadOnlyList<System.Net.IPNetwork> ForwardedNetworks { get; init; } = [];

    /// <summary>Requests per client address per window on REST (0 = off) and on sign-in.</summary>
    public int RestPerWindow { get; init; }
    public int SignInPerWindow { get; init; } = 10;
    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The bootstrap admin made at start if there is no such account yet.</summary>
    public string? AdminUsername { get; init; }
    public string? AdminPassword { get; init; }

    public const string OpenWarning =
        "SECURITY IS OFF (open mode): SECRET_KEY is not set, so anyone who can reach this port can raise overrides, act as any sign " +
        "and act as any user. Use it only on your own machine; set SECRET_KEY (32+ characters) for anything else.";

    /// <summary>Reads the settings; throws <see cref="FormatException"/> naming the variable that is wrong or missing.</summary>
    public static SecurityOptions From(IConfiguration config, bool clusterMode)
    {
        var secret = config["SECRET_KEY"];
        var secured = !string.IsNullOrEmpty(secret);
        if (clusterMode && !secured)
            throw new FormatException("SECRET_KEY is required in cluster mode (DATABASE_URL is PostgreSQL): set it to 32 or more random characters, " +
                                      "e.g. `openssl rand -base64 48`. See docs/security.md.");
        var keys = new List<SymmetricSecurityKey>();
        if (secured) keys.Add(Key(secret!, "SECRET_KEY"));
        else keys.Add(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)) { KeyId = "ephemeral" });
        if (config["SECRET_KEY_PREVIOUS"] is { Length: > 0 } previous) keys.Add(Key(previous, "SECRET_KEY_PREVIOUS"));

        var adminUser = config["ADMIN_USERNAME"] is { Length: > 0 } u ? u : null;
        var adminPassword = config["ADMIN_PASSWORD"] is { Length: > 0 } p ? p : null;
        if (adminUser is not null)
        {
            if (SecurityLimits.Username(adminUser) is { } bad) throw new FormatException($"ADMIN_USERNAME {bad}");
            if (SecurityLimits.Password(adminPassword) is { } weak) throw new FormatException($"ADMIN_PASSWORD {weak}");
        }
        var window = CityArraySettings.ReadInt(config, "RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400);
        var (proxies, networks) = ParseProxies(config["FORWARDED_PROXIES"]);
        return new SecurityOptions
        {
            Secured = secured,
            SigningKeys = keys,
            OperatorTokenLifetime = TimeSpan.FromMinutes(CityArraySettings.ReadInt(config, "OPERATOR_TOKEN_MINUTES", 480, 1, 43_200)),
            UserTokenLifetime = TimeSpan.FromDays(CityArraySettings.ReadInt(config, "USER_TOKEN_DAYS", 30, 1, 3_650)),
            CorsOrigins = ParseOrigins(config["CORS_ORIGINS"]),
            ForwardedProxies = proxies,
            ForwardedNetworks = networks,
            RateWindow = TimeSpan.FromSeconds(window),
            RestPerWindow = CityArraySettings.ReadInt(config, "RATE_LIMIT_REST", secured ? 600 : 0, 0, 10_000_000),
            SignInPerWindow = CityArraySettings.ReadInt(config, "RATE_LIMIT_SIGNIN", 10, 1, 1_000_000),
            AdminUsername = adminUser,
            AdminPassword = adminPassword,
        };
    }

    private static SymmetricSecurityKey Key(string secret, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < MinKeyBytes) throw new FormatException($"{name} must be at least {MinKeyBytes} characters (e.g. `openssl rand -base64 48`)");
        // The key id lets a verifier pick the key quickly; it is a fingerprint, not the key.
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant() };
    }

    private static IReadOnlyList<string> ParseOrigins(string? raw)
    {
        var origins = new List<string>();
        foreach (var part in (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
                throw new FormatException($"CORS_ORIGINS: '{part}' is not an origin like https://console.example.org");
            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }
        return origins;
    }

    private static (IReadOnlyList<IPAddress>, IReadOnlyList<System.Net.IPNetwork>) ParseProxies(string? raw)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var part in (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('/'))
            {
                if (!System.Net.IPNetwork.TryParse(part, out var network)) throw new FormatException($"FORWARDED_PROXIES: '{part}' is not a network like 10.0.0.0/8");
                networks.Add(network);
            }
            else if (IPAddress.TryParse(part, out var address)) proxies.Add(address);
            else throw new FormatException($"FORWARDED_PROXIES: '{part}' is not an IP address or network");
        }
        return (proxies, networks);
    }

    /// <summary>True if <paramref name="origin"/> is one of <see cref="CorsOrigins"/>.</summary>
    public bool IsAllowedOrigin(string origin) => CorsOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);
}

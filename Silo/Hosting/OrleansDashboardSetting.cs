using Microsoft.Extensions.Configuration;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Whether the Orleans dashboard is on, and where gateways mount it (<c>ORLEANS_DASHBOARD_PATH</c>). Silos run the
/// dashboard's side (a grain call profiler and a once-a-second export of Orleans' metrics, which counts over every
/// activation) only when it is on: off, it costs nothing. See docs/operations.md.
/// </summary>
public static class OrleansDashboardSetting
{
    /// <summary>Where the dashboard is mounted unless <c>ORLEANS_DASHBOARD_PATH</c> says otherwise.</summary>
    public const string DefaultPath = "/admin/orleans";

    /// <summary>
    /// The mount path ("" or "off" disables it). Unset, it is on when the deployment is secured (<c>SECRET_KEY</c> set,
    /// as every cluster is: behind the admin role) or is a cluster (a silo need not hold the key); in the open embedded
    /// mode anyone could read the cluster's internals, so it is off.
    /// </summary>
    public static string? Path(IConfiguration config)
    {
        var raw = config["ORLEANS_DASHBOARD_PATH"];
        if (raw is null)
            return string.IsNullOrEmpty(config["SECRET_KEY"]) && !DatabaseUrl.Parse(config["DATABASE_URL"]).IsPostgres ? null : DefaultPath;
        if (raw.Length == 0 || raw.Equals("off", StringComparison.OrdinalIgnoreCase)) return null;
        if (!raw.StartsWith('/') || raw.EndsWith('/') || raw.Contains("..")) throw new FormatException($"ORLEANS_DASHBOARD_PATH must look like /admin/orleans, not '{raw}'");
        return raw;
    }
}

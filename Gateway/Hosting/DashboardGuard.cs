using CityArray.Gateway.Infrastructure;

namespace CityArray.Gateway.Hosting;

/// <summary>
/// Checks the silo address in the Orleans dashboard's per-silo pages before the third-party package sees it: a value
/// that is not a silo address gets 400, a silo the cluster does not list as active 404 (the package itself answers 500
/// or 503 to both). Runs after authorization, so only admins reach it.
/// </summary>
public static class DashboardGuard
{
    private static readonly HashSet<string> SiloPages = new(StringComparer.OrdinalIgnoreCase)
    {
        "SiloCounters", "SiloMetadata", "SiloProperties", "SiloStats", "HistoricalStats",
    };

    /// <summary>Adds the check for the dashboard mounted at <paramref name="dashboardPath"/> (nothing when it is off).</summary>
    public static void UseDashboardGuard(this WebApplication app, string? dashboardPath)
    {
        if (string.IsNullOrEmpty(dashboardPath)) return;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(dashboardPath), branch => branch.Use(async (context, next) =>
        {
            var parts = context.Request.Path.Value![dashboardPath.Length..].Trim('/').Split('/', 2);
            if (parts.Length == 2 && SiloPages.Contains(parts[0]) && await RefuseAsync(context, parts[1]) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await next(context);
        }));
    }

    private static async Task<IResult?> RefuseAsync(HttpContext context, string raw)
    {
        SiloAddress address;
        try
        {
            address = SiloAddress.FromParsableString(raw);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return Problems.BadRequest("address", "must be a silo address as the dashboard lists it (host:port@generation)");
        }
        var hosts = await context.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.ContainsKey(address) ? null : Problems.NotFound("silo", raw);
    }
}

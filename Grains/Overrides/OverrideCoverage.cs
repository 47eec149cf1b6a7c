using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Overrides;

/// <summary>
/// Whether an override's target covers a sign as it is now (its id, zone and coordinates), and which of several
/// active overrides a sign shows (the newest). Gateways and sign grains use this one rule.
/// </summary>
public static class OverrideCoverage
{
    /// <summary>True when <paramref name="target"/> covers the sign: listed, in the zone, everyone, or inside the area.</summary>
    public static bool Covers(OverrideTarget target, SignProfile sign, IReadOnlySet<string>? listed = null)
    {
        if (target.All == true) return true;
        if (target.Zone is { } zone) return sign.Zone == zone;
        if (target.Area is { } area) return GeoArea.Contains(area, sign.Coordinates);
        return listed?.Contains(sign.SignId) ?? target.SignIds?.Contains(sign.SignId, StringComparer.Ordinal) == true;
    }

    /// <summary>The override the sign shows: the newest unexpired active one covering it, or null.</summary>
    public static SignOverride? Shown(IEnumerable<ActiveOverride> active, SignProfile sign, DateTimeOffset now) =>
        active.Where(a => a.EndedAt is null && !a.Override.IsExpired(now) && Covers(a.Target, sign))
            .Select(a => a.Override).MaxBy(o => o.CreatedAt);
}

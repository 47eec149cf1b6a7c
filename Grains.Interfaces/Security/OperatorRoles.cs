namespace CityArray.Grains.Interfaces.Security;

/// <summary>
/// Operator roles, cumulative from least to most: <c>viewer</c> (fleet, dashboards) &lt; <c>moderator</c> (submissions)
/// &lt; <c>operator</c> (messages, overrides, alerts, drops) &lt; <c>admin</c> (signs, templates, users, operators).
/// </summary>
public static class OperatorRoles
{
    public const string Viewer = "viewer";
    public const string Moderator = "moderator";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>Every role, least to most powerful.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Moderator, Operator, Admin];

    /// <summary>True for a known role name.</summary>
    public static bool IsRole(string? role) => role is not null && All.Contains(role);

    /// <summary>The roles that hold at least <paramref name="minimum"/> (it and every role above it).</summary>
    public static IReadOnlyList<string> AtLeast(string minimum) => All.Skip(IndexOf(minimum)).ToArray();

    private static int IndexOf(string role)
    {
        for (var i = 0; i < All.Count; i++) if (All[i] == role) return i;
        throw new ArgumentException($"unknown role '{role}'", nameof(role));
    }
}

using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Dashboards;

/// <summary>The wire shapes of dashboard messages.</summary>
public static class DashboardWire
{
    /// <summary><c>{"type","timestamp","sign","message","override","submission","collectible"}</c>; the entities an event is not about are left out.</summary>
    public static object ToMessage(DashboardEvent e) =>
        new { type = e.Type, timestamp = e.Timestamp, sign = e.Sign, message = e.Message, @override = e.Override, submission = e.Submission, collectible = e.Collectible };

    /// <summary><c>{"type":"all_signs","timestamp","signs":[...]}</c>.</summary>
    public static object AllSigns(IReadOnlyList<SignView> signs, DateTimeOffset at) => new { type = "all_signs", timestamp = at, signs };
}

namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>The CAP 1.2 severities an override may carry, as spelled on the wire.</summary>
public static class CapSeverity
{
    /// <summary>Every accepted value, most severe first.</summary>
    public static readonly IReadOnlyList<string> All = ["extreme", "severe", "moderate", "minor", "unknown"];
}

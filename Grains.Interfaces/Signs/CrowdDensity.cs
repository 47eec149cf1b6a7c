namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The crowd density levels a sign may report, as spelled on the wire.</summary>
public static class CrowdDensity
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";

    /// <summary>Every accepted value.</summary>
    public static readonly IReadOnlyList<string> All = [Low, Medium, High, Critical];
}

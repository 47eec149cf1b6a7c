namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>The CAP 1.2 urgencies an override may carry, as spelled on the wire.</summary>
public static class CapUrgency
{
    /// <summary>Every accepted value, most urgent first.</summary>
    public static readonly IReadOnlyList<string> All = ["immediate", "expected", "future", "past", "unknown"];
}

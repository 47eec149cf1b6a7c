namespace CityArray.Grains.Interfaces.Messages;

/// <summary>The priorities a message may have, as spelled on the wire.</summary>
public static class MessagePriority
{
    public const string Normal = "normal";

    /// <summary>Every accepted value, lowest first.</summary>
    public static readonly IReadOnlyList<string> All = ["low", Normal, "high", "urgent"];
}

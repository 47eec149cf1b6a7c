namespace CityArray.Grains.Interfaces.Messages;

/// <summary>The one place message defaults and bounds live (REST messages and approved submissions alike).</summary>
public static class MessageDefaults
{
    /// <summary>How long a sign shows a message when the sender does not say.</summary>
    public const int DisplaySeconds = 30;

    public const int MinDisplaySeconds = 1;
    public const int MaxDisplaySeconds = 3600;

    /// <summary>The priority of a message when the sender does not say.</summary>
    public const string Priority = MessagePriority.Normal;

    /// <summary>Null when <paramref name="seconds"/> is absent or within bounds, else why not (field <c>display_seconds</c>).</summary>
    public static string? ValidateDisplaySeconds(int? seconds) =>
        seconds is < MinDisplaySeconds or > MaxDisplaySeconds ? $"must be a whole number from {MinDisplaySeconds} to {MaxDisplaySeconds}" : null;
}

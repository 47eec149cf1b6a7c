using System.Text.Json;
using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Gateway.Messages;

/// <summary>Body of <c>POST /api/messages</c>: <c>text</c> or <c>template_id</c> + <c>variables</c>, and exactly one target.</summary>
public sealed record MessageRequest(
    string? Text,
    string? TemplateId,
    Dictionary<string, JsonElement>? Variables,
    string? Language,
    string[]? SignIds,
    string? Zone,
    bool? All,
    string? Priority,
    int? DisplaySeconds,
    DateTimeOffset? ExpiresAt)
    : SignContentRequest(Text, TemplateId, Variables, Language, SignIds, Zone, All)
{
    /// <summary>Null when the target and delivery fields are valid, else the field and the reason.</summary>
    public override (string Field, string Reason)? Validate(DateTimeOffset now)
    {
        if (ValidateTarget(area: null) is { } badTarget) return badTarget;
        if (ValidateContent() is { } badContent) return badContent;
        if (Priority is not null && !MessagePriority.All.Contains(Priority)) return ("priority", $"must be one of {string.Join(", ", MessagePriority.All)}");
        if (MessageDefaults.ValidateDisplaySeconds(DisplaySeconds) is { } badSeconds) return ("display_seconds", badSeconds);
        if (ExpiresAt is { } expires && expires <= now) return ("expires_at", "must be in the future");
        return null;
    }

    /// <summary>The message to send, with <paramref name="text"/> already rendered.</summary>
    public SignMessage ToMessage(string id, string text, DateTimeOffset now) =>
        new(id, text, TemplateId, Priority ?? MessageDefaults.Priority, DisplaySeconds ?? MessageDefaults.DisplaySeconds, ExpiresAt, now);

    public MessageTarget ToTarget() => new(DistinctSignIds, Zone, AllOrNull);
}

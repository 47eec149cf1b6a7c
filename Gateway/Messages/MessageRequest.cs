using System.Text.Json;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Validation;

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
    /// <summary>Throws naming the first bad target or delivery field.</summary>
    public override void Validate(DateTimeOffset now, InputLimits limits)
    {
        CheckTarget(area: null);
        CheckContent();
        if (Priority is not null && !MessagePriority.All.Contains(Priority)) throw RequestException.Invalid("priority", $"must be one of {string.Join(", ", MessagePriority.All)}");
        RequestException.ThrowIfInvalid("display_seconds", MessageDefaults.ValidateDisplaySeconds(DisplaySeconds));
        if (ExpiresAt is { } expires && expires <= now) throw RequestException.Invalid("expires_at", "must be in the future");
    }

    /// <summary>The message to send, with <paramref name="text"/> already rendered.</summary>
    public SignMessage ToMessage(string id, string text, DateTimeOffset now) =>
        new(id, text, TemplateId, Priority ?? MessageDefaults.Priority, DisplaySeconds ?? MessageDefaults.DisplaySeconds, ExpiresAt, now);

    public MessageTarget ToTarget() => new(DistinctSignIds, Zone, AllOrNull);
}

using System.Text.Json;
using CityArray.Gateway.Templates;
using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Templates;

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
{
    public const int MaxSignIds = 10_000;

    /// <summary>Null when the target and delivery fields are valid, else the field and the reason.</summary>
    public (string Field, string Reason)? Validate(DateTimeOffset now)
    {
        var targets = (SignIds is not null ? 1 : 0) + (Zone is not null ? 1 : 0) + (All == true ? 1 : 0);
        if (targets != 1) return ("target", $"exactly one of sign_ids, zone or all:true is required (got {targets})");
        if (SignIds is { Length: 0 or > MaxSignIds }) return ("sign_ids", $"must list 1-{MaxSignIds} sign ids");
        if (SignIds?.FirstOrDefault(id => SignId.Validate(id) is not null) is { } badId) return ("sign_ids", $"'{badId}' is not a valid sign id");
        if (Zone is not null && SignId.Validate(Zone) is not null) return ("zone", "must be 1-64 characters of letters, digits, '_', '.' or '-'");
        if ((Text is null) == (TemplateId is null)) return ("text", "give either text or template_id (with variables), not both and not neither");
        if (Text is not null && (Text.Trim().Length == 0 || Text.Length > 1000)) return ("text", "must be 1-1000 characters");
        if (Language is not null && !TemplateText.Languages.Contains(Language)) return ("language", $"must be one of {string.Join(", ", TemplateText.Languages)}");
        if (Priority is not null && !MessagePriority.All.Contains(Priority)) return ("priority", $"must be one of {string.Join(", ", MessagePriority.All)}");
        if (DisplaySeconds is < 1 or > 3600) return ("display_seconds", "must be a whole number from 1 to 3600");
        if (ExpiresAt is { } expires && expires <= now) return ("expires_at", "must be in the future");
        return null;
    }

    /// <summary>The message to send, with <paramref name="text"/> already rendered.</summary>
    public SignMessage ToMessage(string id, string text, DateTimeOffset now) =>
        new(id, text, TemplateId, Priority ?? MessagePriority.Normal, DisplaySeconds ?? 30, ExpiresAt, now);

    public MessageTarget ToTarget() => new(SignIds?.Distinct(StringComparer.Ordinal).ToArray(), Zone, All == true ? true : null);
}

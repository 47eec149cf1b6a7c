using System.Text.Json;
using CityArray.Gateway.Messages;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Gateway.Overrides;

/// <summary>
/// Body of <c>POST /api/overrides</c>: <c>text</c> or <c>template_id</c> + <c>variables</c>, exactly one target
/// (<c>sign_ids</c>, <c>zone</c>, <c>all:true</c> or <c>area</c>), and optional CAP-style fields.
/// </summary>
public sealed record OverrideRequest(
    string? Text,
    string? TemplateId,
    Dictionary<string, JsonElement>? Variables,
    string? Language,
    string[]? SignIds,
    string? Zone,
    bool? All,
    AreaRequest? Area,
    string? Severity,
    string? Urgency,
    string? Category,
    string? Headline,
    string? Instruction,
    DateTimeOffset? ExpiresAt)
    : SignContentRequest(Text, TemplateId, Variables, Language, SignIds, Zone, All)
{
    /// <summary>Null when the body is valid (the text may still fail to render), else the field and the reason.</summary>
    public override (string Field, string Reason)? Validate(DateTimeOffset now)
    {
        if (ValidateTarget(area: Area is not null) is { } badTarget) return badTarget;
        if (Area?.Validate() is { } badArea) return badArea;
        if (ValidateContent() is { } badContent) return badContent;
        if (Severity is not null && !CapSeverity.All.Contains(Severity)) return ("severity", $"must be one of {string.Join(", ", CapSeverity.All)}");
        if (Urgency is not null && !CapUrgency.All.Contains(Urgency)) return ("urgency", $"must be one of {string.Join(", ", CapUrgency.All)}");
        if (Category is { Length: 0 or > 64 }) return ("category", "must be 1-64 characters");
        if (Headline is { Length: 0 or > 160 }) return ("headline", "must be 1-160 characters");
        if (Instruction is { Length: 0 or > 1000 }) return ("instruction", "must be 1-1000 characters");
        if (ExpiresAt is { } expires && expires <= now) return ("expires_at", "must be in the future");
        return null;
    }

    /// <summary>The override to apply, with <paramref name="text"/> already rendered.</summary>
    public SignOverride ToOverride(string id, string text, DateTimeOffset now) =>
        new(id, text, TemplateId, Severity, Urgency, Category, Headline, Instruction, ExpiresAt, now);

    public OverrideTarget ToTarget() =>
        new(DistinctSignIds, Zone, AllOrNull, Area?.ToArea());
}

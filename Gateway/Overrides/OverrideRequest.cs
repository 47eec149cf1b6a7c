using System.Text.Json;
using CityArray.Gateway.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Overrides;

/// <summary>
/// Body of <c>POST /api/overrides</c>: <c>text</c> or <c>template_id</c> + <c>variables</c>, exactly one target
/// (<c>sign_ids</c>, <c>zone</c>, <c>all:true</c> or <c>area</c>), optional CAP-style fields, and optional
/// <c>channels</c> (default <c>["signs"]</c>; <c>sms</c> and <c>voice</c> also alert the covered zones' phone subscribers).
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
    DateTimeOffset? ExpiresAt,
    string?[]? Channels = null)
    : SignContentRequest(Text, TemplateId, Variables, Language, SignIds, Zone, All)
{
    /// <summary>Throws naming the first bad field (the text may still fail to render).</summary>
    public override void Validate(DateTimeOffset now, InputLimits limits)
    {
        CheckTarget(area: Area is not null);
        Area?.Validate(limits);
        CheckContent();
        if (Severity is not null && !CapSeverity.All.Contains(Severity)) throw RequestException.Invalid("severity", $"must be one of {string.Join(", ", CapSeverity.All)}");
        if (Urgency is not null && !CapUrgency.All.Contains(Urgency)) throw RequestException.Invalid("urgency", $"must be one of {string.Join(", ", CapUrgency.All)}");
        if (Category is { Length: 0 or > 64 }) throw RequestException.Invalid("category", "must be 1-64 characters");
        if (Headline is { Length: 0 or > 160 }) throw RequestException.Invalid("headline", "must be 1-160 characters");
        if (Instruction is { Length: 0 or > 1000 }) throw RequestException.Invalid("instruction", "must be 1-1000 characters");
        if (ExpiresAt is { } expires && expires <= now) throw RequestException.Invalid("expires_at", "must be in the future");
        if (Channels is not null)
        {
            if (Channels.Any(c => c is null || !OverrideChannels.All.Contains(c)))
                throw RequestException.Invalid("channels", $"each channel must be one of {string.Join(", ", OverrideChannels.All)}");
            if (!Channels.Contains(OverrideChannels.Signs)) throw RequestException.Invalid("channels", "must include 'signs' (for phones only, use /api/alerts/sms or /voice)");
        }
    }

    /// <summary>The phone channels asked for (<c>sms</c>, <c>voice</c>), without repeats; empty for signs only.</summary>
    public IReadOnlyList<string> PhoneChannels =>
        (Channels ?? []).OfType<string>().Where(c => c != OverrideChannels.Signs).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The phone channels for the override grain (a voice call reads in <c>en</c> when the language is English, else <c>es</c>), or null.</summary>
    public OverridePhones? ToPhones() =>
        PhoneChannels is { Count: > 0 } channels
            ? new OverridePhones(channels, Language?.Trim().ToLowerInvariant() is { } l && l.StartsWith("en", StringComparison.Ordinal) ? "en" : "es")
            : null;

    /// <summary>The override to apply, with <paramref name="text"/> already rendered.</summary>
    public SignOverride ToOverride(string id, string text, DateTimeOffset now) =>
        new(id, text, TemplateId, Severity, Urgency, Category, Headline, Instruction, ExpiresAt, now);

    public OverrideTarget ToTarget() =>
        new(DistinctSignIds, Zone, AllOrNull, Area?.ToArea());
}

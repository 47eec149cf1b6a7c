using CityArray.Grains.Interfaces.Validation;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Signs;

/// <summary>The request rules messages and overrides share: exactly one target, and either text or a template.</summary>
public static class SignTargetRules
{
    public const int MaxSignIds = 10_000;

    /// <summary>
    /// Throws a <see cref="RequestException"/> naming the field unless exactly one target is given and it is valid.
    /// <paramref name="area"/> is null where areas are not accepted (messages), else whether one was given (overrides).
    /// </summary>
    public static void CheckTarget(string[]? signIds, string? zone, bool? all, bool? area)
    {
        var targets = (signIds is not null ? 1 : 0) + (zone is not null ? 1 : 0) + (all == true ? 1 : 0) + (area == true ? 1 : 0);
        var names = area is null ? "sign_ids, zone or all:true" : "sign_ids, zone, all:true or area";
        if (targets != 1) throw RequestException.Invalid("target", $"exactly one of {names} is required (got {targets})");
        if (signIds is { Length: 0 or > MaxSignIds }) throw RequestException.Invalid("sign_ids", $"must list 1-{MaxSignIds} sign ids");
        if (signIds is not null && Array.FindIndex(signIds, id => !EntityId.IsValid(id)) is var bad and >= 0)
            throw RequestException.Invalid("sign_ids", signIds[bad] is null
                ? $"item {bad} is null; every item must be a sign id"
                : $"item {bad} is not a valid sign id: {EntityId.Message("a sign id")}");
        if (zone is not null && !EntityId.IsValid(zone)) throw RequestException.Invalid("zone", EntityId.Message("zone"));
    }

    /// <summary>Throws a <see cref="RequestException"/> unless exactly one of <c>text</c> (1-1000 characters) or <c>template_id</c> is given and the language is known.</summary>
    public static void CheckContent(string? text, string? templateId, string? language)
    {
        if ((text is null) == (templateId is null)) throw RequestException.Invalid("text", "give either text or template_id (with variables), not both and not neither");
        if (text is not null && (text.Trim().Length == 0 || text.Length > 1000)) throw RequestException.Invalid("text", "must be 1-1000 characters");
        if (language is not null && !TemplateText.Languages.Contains(language)) throw RequestException.Invalid("language", $"must be one of {string.Join(", ", TemplateText.Languages)}");
    }
}

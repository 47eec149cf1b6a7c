using System.Text.Json;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Templates;

/// <summary>Translates JSON template variables for the catalog grain, which renders them (and names the field at fault) in one call.</summary>
public static class TemplateVariables
{
    /// <summary>The longest text a template may render to (checked by the catalog grain).</summary>
    public const int MaxRenderedText = TemplateText.MaxRenderedText;

    /// <summary>
    /// The text of a request that gives either <paramref name="text"/> or <paramref name="templateId"/> + variables:
    /// the text itself, or the template rendered by the catalog; null and the bad field when it cannot be.
    /// </summary>
    public static async Task<(string? Text, (string Field, string Reason)? Error)> ResolveTextAsync(
        IClusterClient cluster, string? text, string? templateId, Dictionary<string, JsonElement>? raw, string? language)
    {
        if (templateId is null) return (text, null);
        if (InvalidText(raw) is { } invalid) return (null, invalid);
        var rendering = await cluster.GetGrain<ITemplateCatalogGrain>(0).RenderAsync(templateId, ToStrings(raw), language);
        return rendering.Outcome switch
        {
            TemplateOutcome.Rendered => (rendering.Text, null),
            TemplateOutcome.NotFound => (null, ("template_id", $"no template with id '{templateId}'")),
            _ => (null, (rendering.Field!, rendering.Reason!)),
        };
    }

    /// <summary>The first string variable that cannot become text (a lone UTF-16 surrogate escape such as <c>"\ud800"</c>), or null.</summary>
    public static (string Field, string Reason)? InvalidText(Dictionary<string, JsonElement>? raw)
    {
        foreach (var (name, value) in raw ?? [])
        {
            if (value.ValueKind != JsonValueKind.String) continue;
            try
            {
                _ = value.GetString();
            }
            catch (InvalidOperationException)
            {
                return ($"variables.{name}", "must be valid text (no lone UTF-16 surrogates)");
            }
        }
        return null;
    }

    /// <summary>
    /// Strings, numbers and booleans as their text (a string without its quotes); any other JSON value as null, which the
    /// catalog refuses naming the variable. Call <see cref="InvalidText"/> first.
    /// </summary>
    public static IReadOnlyDictionary<string, string?>? ToStrings(Dictionary<string, JsonElement>? raw) =>
        raw?.ToDictionary(v => v.Key, v => v.Value.ValueKind switch
        {
            JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => v.Value.GetString(),
            _ => v.Value.GetRawText(),
        }, StringComparer.Ordinal);
}

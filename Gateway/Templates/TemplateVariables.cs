using System.Text.Json;
using CityArray.Grains.Interfaces.Templates;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Templates;

/// <summary>Translates JSON template variables for the catalog grain, which renders them (and names the field at fault) in one call.</summary>
public static class TemplateVariables
{
    /// <summary>
    /// The text of a request that gives either <paramref name="text"/> or <paramref name="templateId"/> + variables:
    /// the text itself, or the template rendered by the catalog; throws a <see cref="RequestException"/> naming the bad
    /// field when it cannot be (an unknown template is a bad <c>template_id</c>).
    /// </summary>
    public static async Task<string> ResolveTextAsync(
        IClusterClient cluster, string? text, string? templateId, Dictionary<string, JsonElement>? raw, string? language)
    {
        if (templateId is null) return text!;
        var rendering = await cluster.GetGrain<ITemplateCatalogGrain>(0).RenderAsync(templateId, ToStrings(raw), language);
        return rendering.Outcome == TemplateOutcome.Rendered
            ? rendering.Text!
            : throw RequestException.Invalid("template_id", $"no template with id '{templateId}'");
    }

    /// <summary>Throws naming the first string variable that cannot become text (a lone UTF-16 surrogate escape such as <c>"\ud800"</c>).</summary>
    public static void CheckText(Dictionary<string, JsonElement>? raw)
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
                throw RequestException.Invalid($"variables.{name}", "must be valid text (no lone UTF-16 surrogates)");
            }
        }
    }

    /// <summary>
    /// Strings, numbers and booleans as their text (a string without its quotes); any other JSON value as null, which the
    /// catalog refuses naming the variable. Checks the text first (<see cref="CheckText"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string?>? ToStrings(Dictionary<string, JsonElement>? raw)
    {
        CheckText(raw);
        return raw?.ToDictionary(v => v.Key, v => v.Value.ValueKind switch
        {
            JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => v.Value.GetString(),
            _ => v.Value.GetRawText(),
        }, StringComparer.Ordinal);
    }
}

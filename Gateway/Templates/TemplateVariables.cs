using System.Text.Json;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Templates;

/// <summary>Reads template variables (strings, numbers or booleans) and renders a template, naming the field at fault.</summary>
public static class TemplateVariables
{
    /// <summary>The longest text a template may render to (the longest message text a sign shows is 1000).</summary>
    public const int MaxRenderedText = 2000;

    /// <summary>
    /// The text of a request that gives either <paramref name="text"/> or <paramref name="templateId"/> + variables:
    /// the text itself, or the template looked up and rendered; null and the bad field when it cannot be.
    /// </summary>
    public static async Task<(string? Text, (string Field, string Reason)? Error)> ResolveTextAsync(
        IClusterClient cluster, string? text, string? templateId, Dictionary<string, JsonElement>? raw, string? language)
    {
        if (templateId is null) return (text, null);
        if (await cluster.GetGrain<ITemplateCatalogGrain>(0).GetAsync(templateId) is not { } template)
            return (null, ("template_id", $"no template with id '{templateId}'"));
        var rendered = Render(template, raw, language, out var error);
        return (rendered, error);
    }

    /// <summary>The text of <paramref name="template"/> filled in; null and the bad field (<c>variables.x</c>, <c>language</c>) when it cannot be.</summary>
    public static string? Render(MessageTemplate template, Dictionary<string, JsonElement>? raw, string? language, out (string Field, string Reason)? error)
    {
        error = null;
        if (language is not null && !TemplateText.Languages.Contains(language))
        {
            error = ("language", $"must be one of {string.Join(", ", TemplateText.Languages)}");
            return null;
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in raw ?? [])
        {
            if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null or JsonValueKind.Undefined)
            {
                error = ($"variables.{name}", "must be a string, number or boolean");
                return null;
            }
            if (!TryGetText(value, out var text))
            {
                error = ($"variables.{name}", "must be valid text (no lone UTF-16 surrogates)");
                return null;
            }
            if (text.Length > 500)
            {
                error = ($"variables.{name}", "must be at most 500 characters");
                return null;
            }
            variables[name] = text;
        }
        var rendered = template.Render(variables, language, out var missing);
        if (missing is not null)
        {
            error = ($"variables.{missing}", $"is required by template '{template.Id}'");
            return null;
        }
        if (rendered is { Length: > MaxRenderedText })
        {
            error = ("variables", $"the rendered text must be at most {MaxRenderedText} characters (it would be {rendered.Length})");
            return null;
        }
        return rendered;
    }

    private static bool TryGetText(JsonElement value, out string text)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            text = value.GetRawText();
            return true;
        }
        try
        {
            text = value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // A lone UTF-16 surrogate escape ("\ud800") cannot become a .NET string.
            text = "";
            return false;
        }
    }
}

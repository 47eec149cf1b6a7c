using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Templates;

/// <summary>The rules of templates and of rendering them, applied by <see cref="TemplateCatalogGrain"/>.</summary>
public static class TemplateRules
{
    public const int MaxVariableLength = 500;

    /// <summary>The template <paramref name="edit"/> makes from <paramref name="current"/> (or from nothing, on create); null and the bad field when invalid.</summary>
    public static MessageTemplate? Apply(string id, TemplateEdit edit, MessageTemplate? current, DateTimeOffset now, out (string Field, string Reason)? error)
    {
        var name = edit.Name?.Trim() ?? current?.Name;
        var category = edit.Category?.Trim() ?? current?.Category;
        var text = edit.Text ?? current?.Text;
        var textEs = edit.TextEs ?? current?.TextEs;
        error = SignId.Validate(id) is not null ? ("id", "must be 1-64 characters of letters, digits, '_', '.' or '-'")
            : name is not { Length: > 0 and <= 100 } ? ("name", name is null ? "is required" : "must be 1-100 characters")
            : category is not { Length: > 0 and <= 50 } ? ("category", category is null ? "is required" : "must be 1-50 characters")
            : text is null || text.Trim().Length == 0 || text.Length > 1000 ? ("text", text is null ? "is required" : "must be 1-1000 characters")
            : textEs is not null && (textEs.Trim().Length == 0 || textEs.Length > 1000) ? ("text_es", "must be 1-1000 characters")
            : null;
        return error is null ? new MessageTemplate(id, name!, category!, text!, textEs, now) : null;
    }

    /// <summary>The text of <paramref name="template"/> filled in; null and the bad field (<c>variables.x</c>, <c>language</c>) when it cannot be.</summary>
    public static string? Render(MessageTemplate template, IReadOnlyDictionary<string, string?>? raw, string? language, out (string Field, string Reason)? error)
    {
        error = null;
        if (language is not null && !TemplateText.Languages.Contains(language))
        {
            error = ("language", $"must be one of {string.Join(", ", TemplateText.Languages)}");
            return null;
        }
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in raw ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                error = ($"variables.{name}", "must be a string, number or boolean");
                return null;
            }
            if (value.Length > MaxVariableLength)
            {
                error = ($"variables.{name}", $"must be at most {MaxVariableLength} characters");
                return null;
            }
            variables[name] = value;
        }
        var rendered = template.Render(variables, language, out var missing);
        if (missing is not null)
        {
            error = ($"variables.{missing}", $"is required by template '{template.Id}'");
            return null;
        }
        if (rendered is { Length: > TemplateText.MaxRenderedText })
        {
            error = ("variables", $"the rendered text must be at most {TemplateText.MaxRenderedText} characters (it would be {rendered.Length})");
            return null;
        }
        return rendered;
    }
}

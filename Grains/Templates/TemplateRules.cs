using CityArray.Grains.Interfaces.Templates;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Templates;

/// <summary>The rules of templates and of rendering them, applied by <see cref="TemplateCatalogGrain"/>.</summary>
public static class TemplateRules
{
    public const int MaxVariableLength = 500;

    /// <summary>The template <paramref name="edit"/> makes from <paramref name="current"/> (or from nothing, on create); throws a <see cref="RequestException"/> naming the bad field.</summary>
    public static MessageTemplate Apply(string id, TemplateEdit edit, MessageTemplate? current, DateTimeOffset now)
    {
        var name = edit.Name?.Trim() ?? current?.Name;
        var category = edit.Category?.Trim() ?? current?.Category;
        var text = edit.Text ?? current?.Text;
        var textEs = edit.TextEs ?? current?.TextEs;
        if (!EntityId.IsValid(id)) throw RequestException.Invalid("id", EntityId.Reason);
        if (name is not { Length: > 0 and <= 100 }) throw RequestException.Invalid("name", name is null ? "is required" : "must be 1-100 characters");
        if (category is not { Length: > 0 and <= 50 }) throw RequestException.Invalid("category", category is null ? "is required" : "must be 1-50 characters");
        if (text is null || text.Trim().Length == 0 || text.Length > 1000) throw RequestException.Invalid("text", text is null ? "is required" : "must be 1-1000 characters");
        if (textEs is not null && (textEs.Trim().Length == 0 || textEs.Length > 1000)) throw RequestException.Invalid("text_es", "must be 1-1000 characters");
        return new MessageTemplate(id, name, category, text, textEs, now);
    }

    /// <summary>The text of <paramref name="template"/> filled in; throws a <see cref="RequestException"/> naming the bad field (<c>variables.x</c>, <c>language</c>) when it cannot be.</summary>
    /// <remarks><paramref name="maxRenderedText"/>: <see cref="InputLimits.MaxRenderedText"/> (<c>MAX_RENDERED_TEXT</c>).</remarks>
    public static string Render(MessageTemplate template, IReadOnlyDictionary<string, string?>? raw, string? language, int maxRenderedText = TemplateText.MaxRenderedText)
    {
        if (language is not null && !TemplateText.Languages.Contains(language))
            throw RequestException.Invalid("language", $"must be one of {string.Join(", ", TemplateText.Languages)}");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in raw ?? new Dictionary<string, string?>())
        {
            if (value is null) throw RequestException.Invalid($"variables.{name}", "must be a string, number or boolean");
            if (value.Length > MaxVariableLength) throw RequestException.Invalid($"variables.{name}", $"must be at most {MaxVariableLength} characters");
            variables[name] = value;
        }
        var rendered = template.Render(variables, language, out var missing);
        if (missing is not null) throw RequestException.Invalid($"variables.{missing}", $"is required by template '{template.Id}'");
        if (rendered!.Length > maxRenderedText)
            throw RequestException.Invalid("variables", $"the rendered text must be at most {maxRenderedText} characters (it would be {rendered.Length}; MAX_RENDERED_TEXT)");
        return rendered!;
    }
}

using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Templates;

/// <summary>Body of <c>POST /api/templates</c> and <c>PUT /api/templates/{id}</c>; on PUT, fields left out keep their value.</summary>
public sealed record TemplateRequest(string? Id, string? Name, string? Category, string? Text, string? TextEs)
{
    /// <summary>The template this request makes from <paramref name="current"/> (or from nothing, on create); null and the bad field when invalid.</summary>
    public MessageTemplate? ToTemplate(string id, MessageTemplate? current, DateTimeOffset now, out (string Field, string Reason)? error)
    {
        var name = Name?.Trim() ?? current?.Name;
        var category = Category?.Trim() ?? current?.Category;
        var text = Text ?? current?.Text;
        var textEs = TextEs ?? current?.TextEs;
        error = SignId.Validate(id) is not null ? ("id", "must be 1-64 characters of letters, digits, '_', '.' or '-'")
            : name is not { Length: > 0 and <= 100 } ? ("name", name is null ? "is required" : "must be 1-100 characters")
            : category is not { Length: > 0 and <= 50 } ? ("category", category is null ? "is required" : "must be 1-50 characters")
            : text is null || text.Trim().Length == 0 || text.Length > 1000 ? ("text", text is null ? "is required" : "must be 1-1000 characters")
            : textEs is not null && (textEs.Trim().Length == 0 || textEs.Length > 1000) ? ("text_es", "must be 1-1000 characters")
            : null;
        return error is null ? new MessageTemplate(id, name!, category!, text!, textEs, now) : null;
    }
}

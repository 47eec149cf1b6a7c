using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Gateway.Templates;

/// <summary>Body of <c>POST /api/templates</c> and <c>PUT /api/templates/{id}</c>; on PUT, fields left out keep their value.</summary>
public sealed record TemplateRequest(string? Id, string? Name, string? Category, string? Text, string? TextEs)
{
    /// <summary>The edit the catalog grain checks and applies.</summary>
    public TemplateEdit ToEdit() => new(Name, Category, Text, TextEs);
}

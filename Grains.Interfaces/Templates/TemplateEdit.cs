namespace CityArray.Grains.Interfaces.Templates;

/// <summary>
/// A template as an operator sends it (<c>POST /api/templates</c>, <c>PUT /api/templates/{id}</c>): on an edit, fields
/// left null keep their value. The catalog grain checks it and applies it in one call.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.TemplateEdit")]
public sealed record TemplateEdit(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Category,
    [property: Id(2)] string? Text,
    [property: Id(3)] string? TextEs);

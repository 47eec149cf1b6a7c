namespace CityArray.Grains.Interfaces.Templates;

/// <summary>The answer to <see cref="ITemplateCatalogGrain.RenderAsync"/>: the <see cref="Text"/>, or the <see cref="Outcome"/> and why not.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.TemplateRendering")]
public sealed record TemplateRendering(
    [property: Id(0)] string Outcome,
    [property: Id(1)] string? Text,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Reason = null);

namespace CityArray.Grains.Interfaces.Templates;

/// <summary>
/// The answer to <see cref="ITemplateCatalogGrain.RenderAsync"/>: the <see cref="Text"/>, or the <see cref="Outcome"/>
/// <see cref="TemplateOutcome.NotFound"/>. Variables that break a rule throw a <see cref="Validation.RequestException"/> naming the field.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.TemplateRendering")]
public sealed record TemplateRendering(
    [property: Id(0)] string Outcome,
    [property: Id(1)] string? Text);

namespace CityArray.Grains.Interfaces.Templates;

/// <summary>The answer to a catalog create or edit: the <see cref="Outcome"/> (<see cref="TemplateOutcome"/>), the template as stored, or why not.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.TemplateChange")]
public sealed record TemplateChange(
    [property: Id(0)] string Outcome,
    [property: Id(1)] MessageTemplate? Template,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] string? Reason = null);

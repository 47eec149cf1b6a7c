namespace CityArray.Grains.Interfaces.Templates;

/// <summary>
/// The answer to a catalog create or edit: the <see cref="Outcome"/> (<see cref="TemplateOutcome"/>) and the template as
/// stored. An edit that breaks a rule throws a <see cref="Validation.RequestException"/> naming the field instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.TemplateChange")]
public sealed record TemplateChange(
    [property: Id(0)] string Outcome,
    [property: Id(1)] MessageTemplate? Template);

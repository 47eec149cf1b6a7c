using CityArray.Grains.Interfaces.Templates;

namespace CityArray.Grains.Templates;

/// <summary>The durable template catalog; <see cref="Seeded"/> records that the defaults were created once.</summary>
[GenerateSerializer, Alias("CityArray.TemplateCatalogState")]
public sealed class TemplateCatalogState
{
    [Id(0)] public bool Seeded { get; set; }
    [Id(1)] public SortedDictionary<string, MessageTemplate> Templates { get; set; } = new(StringComparer.Ordinal);
}

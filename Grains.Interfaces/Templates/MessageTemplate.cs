namespace CityArray.Grains.Interfaces.Templates;

/// <summary>A message template: English <see cref="Text"/> and Spanish <see cref="TextEs"/> with <c>{placeholders}</c>.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MessageTemplate")]
public sealed record MessageTemplate(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] string Text,
    [property: Id(4)] string? TextEs,
    [property: Id(5)] DateTimeOffset UpdatedAt)
{
    /// <summary>The placeholder names of both texts, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders => TemplateText.Placeholders(Text, TextEs);

    /// <summary>
    /// The text in <paramref name="language"/> (<c>en</c> by default; <c>es</c> falls back to English when there is
    /// no Spanish text) with every placeholder filled; null and the first missing variable when one is not given.
    /// </summary>
    public string? Render(IReadOnlyDictionary<string, string> variables, string? language, out string? missing) =>
        TemplateText.Fill(language == TemplateText.Spanish && TextEs is not null ? TextEs : Text, variables, out missing);
}

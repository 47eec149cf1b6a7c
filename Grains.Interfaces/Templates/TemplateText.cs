using System.Text;
using System.Text.RegularExpressions;

namespace CityArray.Grains.Interfaces.Templates;

/// <summary>The <c>{placeholder}</c> syntax of templates: names of letters, digits and '_'.</summary>
public static partial class TemplateText
{
    public const string English = "en";
    public const string Spanish = "es";

    /// <summary>The longest text a template may render to (the longest message text a sign shows is 1000).</summary>
    public const int MaxRenderedText = 2000;

    /// <summary>The languages a template renders in.</summary>
    public static readonly IReadOnlyList<string> Languages = [English, Spanish];

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")]
    private static partial Regex Placeholder();

    /// <summary>Distinct placeholder names of <paramref name="texts"/>, in order of first use.</summary>
    public static IReadOnlyList<string> Placeholders(params string?[] texts) =>
        texts.Where(t => t is not null).SelectMany(t => Placeholder().Matches(t!)).Select(m => m.Groups[1].Value).Distinct().ToArray();

    /// <summary>Fills every placeholder of <paramref name="text"/>; null and the first missing name when a variable is absent.</summary>
    public static string? Fill(string text, IReadOnlyDictionary<string, string> variables, out string? missing)
    {
        missing = Placeholders(text).FirstOrDefault(name => !variables.ContainsKey(name));
        if (missing is not null) return null;
        return Placeholder().Replace(text, m => variables[m.Groups[1].Value]);
    }
}

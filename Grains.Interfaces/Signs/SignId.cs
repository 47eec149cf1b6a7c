using System.Text.RegularExpressions;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>The rule for sign ids: 1 to 64 characters of <c>[A-Za-z0-9_.-]</c>.</summary>
public static partial class SignId
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="id"/> is a valid sign id, else the reason it is not.</summary>
    public static string? Validate(string? id) =>
        id is not null && Pattern().IsMatch(id)
            ? null
            : "sign id must be 1-64 characters of letters, digits, '_', '.' or '-'";
}

using System.Text.RegularExpressions;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// The one id rule of CityArray (signs, zones, templates, users, events, collectibles, messages): 1 to 64 ASCII
/// characters of <c>[A-Za-z0-9_.-]</c>, with one message naming the field.
/// </summary>
public static partial class EntityId
{
    public const int MaxLength = 64;

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Whether <paramref name="id"/> follows the id rule.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>Null when <paramref name="id"/> is valid, else the one message, naming <paramref name="field"/>.</summary>
    public static string? Validate(string? id, string field) => IsValid(id) ? null : Message(field);

    /// <summary>The one reason given for a bad id (after the field's name).</summary>
    public const string Reason = "must be 1-64 characters of letters, digits, '_', '.' or '-'";

    /// <summary>The one message for a bad id.</summary>
    public static string Message(string field) => $"{field} {Reason}";

    /// <summary>Throws a 400 naming <paramref name="field"/> when <paramref name="id"/> is missing ("is required") or breaks the id rule.</summary>
    public static void Check(string? id, string field)
    {
        if (string.IsNullOrEmpty(id)) throw RequestException.Invalid(field, "is required");
        if (!IsValid(id)) throw RequestException.Invalid(field, Message(field));
    }
}

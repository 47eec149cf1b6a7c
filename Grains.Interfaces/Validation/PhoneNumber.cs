using System.Text.RegularExpressions;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// The one phone rule of CityArray (user registration, submission contacts): trim, then an E.164 number of ASCII
/// digits only: '+', a non-zero digit, then 6 to 14 digits. Digits of other scripts (which <c>\d</c> would match)
/// are refused, so one number cannot be registered twice under two spellings.
/// </summary>
public static partial class PhoneNumber
{
    public const string Message = "must be an E.164 number such as +573001234567 ('+', country code, ASCII digits, no spaces)";

    [GeneratedRegex("^\\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    /// <summary>The canonical form of <paramref name="phone"/> (trimmed), or null when it is not a valid number.</summary>
    public static string? Normalize(string? phone) => phone?.Trim() is { } trimmed && E164().IsMatch(trimmed) ? trimmed : null;

    /// <summary>Null when <paramref name="phone"/> is valid, else the one message naming <paramref name="field"/>.</summary>
    public static string? Validate(string? phone, string field = "phone") => Normalize(phone) is null ? $"{field} {Message}" : null;
}

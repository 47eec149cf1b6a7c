using CityArray.Grains.Interfaces.Validation;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Grains.Submissions;

/// <summary>
/// The content rules of attendee submissions, shared by every way one arrives (web form and inbound SMS alike, through
/// <see cref="SubmissionIntakeGrain"/>): names and
/// texts are trimmed and must not contain control characters, links or a blocked word, nor be only whitespace and
/// punctuation; a contact is an E.164 phone number or an email address.
/// </summary>
public static partial class SubmissionContent
{
    public const int MaxName = 60;
    public const int MaxText = 280;
    public const int MaxContact = 120;

    /// <summary>
    /// Words a submission must not contain (whole words, any case). Deliberately short: moderators read every submission
    /// anyway; this only spares them the obvious. Edit here to extend it.
    /// </summary>
    public static readonly IReadOnlySet<string> BlockedWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "fuck", "fucking", "shit", "bitch", "asshole", "cunt", "puta", "mierda", "pendejo", "gonorrea",
    };

    [GeneratedRegex(@"https?://|\bwww\.", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();

    /// <summary>A checked, trimmed draft, or null and the field at fault with the reason.</summary>
    public static (SubmissionDraft? Draft, (string Field, string Reason)? Error) Draft(
        string? name, string? text, string? contact, string? zone, string source, DateTimeOffset now)
    {
        if (Check("name", name, MaxName, out var cleanName) is { } badName) return (null, badName);
        if (Check("text", text, MaxText, out var cleanText) is { } badText) return (null, badText);
        var cleanContact = contact?.Trim();
        if (cleanContact is not null && (cleanContact.Length is 0 or > MaxContact || !(PhoneNumber.Normalize(cleanContact) is not null || Email().IsMatch(cleanContact))))
            return (null, ("contact", $"must be an E.164 phone number (+573001234567) or an email address, at most {MaxContact} characters"));
        if (zone is not null && SignId.Validate(zone) is not null) return (null, ("zone", "must be 1-64 characters of letters, digits, '_', '.' or '-'"));
        return (new SubmissionDraft(cleanName!, cleanText!, cleanContact, zone, source, now), null);
    }

    /// <summary>Null when the trimmed <paramref name="raw"/> is acceptable text for a sign (set in <paramref name="clean"/>), else why not.</summary>
    public static (string Field, string Reason)? Check(string field, string? raw, int maxLength, out string? clean)
    {
        clean = raw?.Trim();
        if (string.IsNullOrEmpty(clean)) return (field, "is required");
        if (clean.EnumerateRunes().Count() > maxLength) return (field, $"must be 1-{maxLength} characters");
        if (clean.EnumerateRunes().Any(IsForbiddenControl)) return (field, "must not contain control characters");
        if (clean.All(c => char.IsWhiteSpace(c) || char.IsPunctuation(c))) return (field, "must contain more than whitespace and punctuation");
        if (Link().IsMatch(clean)) return (field, "must not contain links (http://, https://, www.); signs do not show URLs");
        if (Words(clean).Any(BlockedWords.Contains)) return (field, "contains a word that is not allowed on signs");
        return null;
    }

    /// <summary>C0/C1 control characters (tabs and newlines included: a sign line is one line) and bidirectional overrides.</summary>
    private static bool IsForbiddenControl(Rune r) =>
        Rune.GetUnicodeCategory(r) == UnicodeCategory.Control || r.Value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c)) word.Append(c);
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
    }
}

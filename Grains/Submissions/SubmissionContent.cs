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

    /// <summary>A checked, trimmed draft; throws a <see cref="RequestException"/> naming the field at fault.</summary>
    public static SubmissionDraft Draft(string? name, string? text, string? contact, string? zone, string source, DateTimeOffset now)
    {
        var cleanName = Check("name", name, MaxName);
        var cleanText = Check("text", text, MaxText);
        var cleanContact = contact?.Trim();
        if (cleanContact is not null && (cleanContact.Length is 0 or > MaxContact || !(PhoneNumber.Normalize(cleanContact) is not null || Email().IsMatch(cleanContact))))
            throw RequestException.Invalid("contact", $"must be an E.164 phone number (+573001234567) or an email address, at most {MaxContact} characters");
        if (zone is not null && !EntityId.IsValid(zone)) throw RequestException.Invalid("zone", EntityId.Reason);
        return new SubmissionDraft(cleanName, cleanText, cleanContact, zone, source, now);
    }

    /// <summary>The trimmed <paramref name="raw"/> when it is acceptable text for a sign; else throws a <see cref="RequestException"/> naming <paramref name="field"/>.</summary>
    public static string Check(string field, string? raw, int maxLength)
    {
        var clean = raw?.Trim();
        if (string.IsNullOrEmpty(clean)) throw RequestException.Invalid(field, "is required");
        if (clean.EnumerateRunes().Count() > maxLength) throw RequestException.Invalid(field, $"must be 1-{maxLength} characters");
        if (clean.EnumerateRunes().Any(IsForbiddenControl)) throw RequestException.Invalid(field, "must not contain control characters");
        if (clean.All(c => char.IsWhiteSpace(c) || char.IsPunctuation(c))) throw RequestException.Invalid(field, "must contain more than whitespace and punctuation");
        if (Link().IsMatch(clean)) throw RequestException.Invalid(field, "must not contain links (http://, https://, www.); signs do not show URLs");
        if (Words(clean).Any(BlockedWords.Contains)) throw RequestException.Invalid(field, "contains a word that is not allowed on signs");
        return clean;
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

using CityArray.Grains.Interfaces.Sms;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Sms;

/// <summary>
/// Body of <c>POST /api/alerts/sms</c> and <c>/voice</c>: the message, its language (<c>en</c> or <c>es</c>, default
/// <c>es</c>), and who gets it: <c>numbers</c> (E.164), else the subscribers of <c>zone</c>, else every subscriber.
/// </summary>
public sealed record AlertRequest(string? Message, string? Language, string? Zone, IReadOnlyList<string>? Numbers)
{
    public const int MaxSmsLength = 1600;
    public const int MaxVoiceLength = 1000;
    public const int MaxNumbers = 10_000;

    /// <summary>The draft; throws a <see cref="RequestException"/> naming the field that is wrong and why.</summary>
    public AlertDraft ToDraft(string channel)
    {
        var max = channel == AlertChannel.Voice ? MaxVoiceLength : MaxSmsLength;
        var message = Message?.Trim();
        if (string.IsNullOrEmpty(message) || message.Length > max) throw RequestException.Invalid("message", $"is required, 1 to {max} characters");
        var language = string.IsNullOrWhiteSpace(Language) ? "es" : Language.Trim().ToLowerInvariant();
        if (language is not ("en" or "es")) throw RequestException.Invalid("language", "must be 'en' or 'es'");
        var zone = string.IsNullOrWhiteSpace(Zone) ? null : Zone.Trim().ToLowerInvariant();
        if (zone is not null && !EntityId.IsValid(zone)) throw RequestException.Invalid("zone", EntityId.Reason);
        if (Numbers is { Count: > MaxNumbers }) throw RequestException.Invalid("numbers", $"at most {MaxNumbers} numbers");
        var numbers = Numbers?.Select(n => n?.Trim() ?? "").ToArray();
        if (numbers is not null && numbers.FirstOrDefault(n => PhoneNumber.Normalize(n) is null) is { } bad)
            throw RequestException.Invalid("numbers", $"'{PhoneMask.Mask(bad)}' {PhoneNumber.Message}");
        if (numbers is { Length: > 0 } && zone is not null) throw RequestException.Invalid("zone", "give numbers or a zone, not both");
        return new AlertDraft(channel, message, language, zone, numbers is { Length: > 0 } ? numbers : null);
    }
}

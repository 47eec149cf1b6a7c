using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// A civic rule was broken: a <see cref="RequestException"/> (the one error model) that also carries a machine
/// code, one of <see cref="CivicErrors"/>, from which its status follows. Crosses grain calls intact.
/// </summary>
[GenerateSerializer, Alias("CityArray.CivicException")]
public sealed class CivicException : RequestException
{
    public CivicException(string code, string message, string? field = null) : base(StatusOf(code), message, field, TitleOf(code, message))
    {
        Code = code;
    }

    [Id(0)] public string Code { get; }

    /// <summary>A 400-style error about <paramref name="field"/>.</summary>
    public static new CivicException Invalid(string field, string reason) =>
        new(CivicErrors.Invalid, reason.StartsWith(field, StringComparison.Ordinal) ? reason : $"{field}: {reason}", field);

    /// <summary>A 404-style error.</summary>
    public static new CivicException NotFound(string what, string id) => new(CivicErrors.NotFound, $"{what} '{id}' not found");

    /// <summary>Throws a 400-style error when <paramref name="reason"/> is not null.</summary>
    public static new void ThrowIfInvalid(string field, string? reason)
    {
        if (reason is not null) throw Invalid(field, reason);
    }

    /// <summary>The problem title: "Unknown user" / "Unknown event" / "Unknown collectible" for a 404 (as signage's 404s), else per status.</summary>
    private static string? TitleOf(string code, string message) => code switch
    {
        CivicErrors.Invalid => "Invalid request",
        CivicErrors.NotFound => new[] { "user", "event", "collectible" }.FirstOrDefault(w => message.StartsWith(w + " ", StringComparison.Ordinal)) is { } what
            ? "Unknown " + what : "Not found",
        _ => null,
    };

    private static int StatusOf(string code) => code switch
    {
        CivicErrors.NotFound => 404,
        CivicErrors.Forbidden => 403,
        CivicErrors.Conflict => 409,
        CivicErrors.RateLimited => 429,
        _ => 400,
    };
}

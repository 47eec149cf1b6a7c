using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// A civic rule was broken: a <see cref="RequestException"/> (the one error model) that also carries a machine
/// code, one of <see cref="CivicErrors"/>, from which its status follows. Crosses grain calls intact.
/// </summary>
[GenerateSerializer, Alias("CityArray.CivicException")]
public sealed class CivicException : RequestException
{
    public CivicException(string code, string message, string? field = null) : base(StatusOf(code), message, field)
    {
        Code = code;
    }

    [Id(0)] public string Code { get; }

    /// <summary>A 400-style error about <paramref name="field"/>.</summary>
    public static new CivicException Invalid(string field, string reason) => new(CivicErrors.Invalid, reason, field);

    /// <summary>A 404-style error.</summary>
    public static new CivicException NotFound(string what, string id) => new(CivicErrors.NotFound, $"{what} '{id}' not found");

    /// <summary>Throws a 400-style error when <paramref name="reason"/> is not null.</summary>
    public static new void ThrowIfInvalid(string field, string? reason)
    {
        if (reason is not null) throw Invalid(field, reason);
    }

    private static int StatusOf(string code) => code switch
    {
        CivicErrors.NotFound => 404,
        CivicErrors.Forbidden => 403,
        CivicErrors.Conflict => 409,
        CivicErrors.RateLimited => 429,
        _ => 400,
    };
}

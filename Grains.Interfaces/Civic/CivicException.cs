namespace CityArray.Grains.Interfaces.Civic;

/// <summary>
/// A civic rule was broken; crosses grain calls intact. <see cref="Code"/> is one of <see cref="CivicErrors"/>,
/// <see cref="Field"/> names the offending input when there is one, the message is meant for people.
/// </summary>
[GenerateSerializer, Alias("CityArray.CivicException")]
public sealed class CivicException : Exception
{
    public CivicException(string code, string message, string? field = null) : base(message)
    {
        Code = code;
        Field = field;
    }

    [Id(0)] public string Code { get; }

    [Id(1)] public string? Field { get; }

    /// <summary>For <see cref="CivicErrors.RateLimited"/>: how long until the request would be accepted, when known.</summary>
    [Id(2)] public TimeSpan? RetryAfter { get; init; }

    /// <summary>A 400-style error about <paramref name="field"/>.</summary>
    public static CivicException Invalid(string field, string reason) => new(CivicErrors.Invalid, reason, field);

    /// <summary>A 404-style error.</summary>
    public static CivicException NotFound(string what, string id) => new(CivicErrors.NotFound, $"{what} '{id}' not found");

    /// <summary>Throws a 400-style error when <paramref name="reason"/> is not null.</summary>
    public static void ThrowIfInvalid(string field, string? reason)
    {
        if (reason is not null) throw Invalid(field, reason);
    }
}

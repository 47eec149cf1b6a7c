namespace CityArray.Grains.Interfaces.Validation;

/// <summary>Machine-readable codes of <see cref="CivicException"/>; the REST layer maps each to one HTTP status.</summary>
public static class CivicErrors
{
    /// <summary>A field is missing or malformed (400); <see cref="CivicException.Field"/> names it.</summary>
    public const string Invalid = "invalid";

    /// <summary>A user, event or collectible does not exist (404).</summary>
    public const string NotFound = "not_found";

    /// <summary>The caller may not do this, e.g. end someone else's event or chat without joining (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The request contradicts the current state, e.g. joining an ended event (409).</summary>
    public const string Conflict = "conflict";

    /// <summary>Too many requests in a short time, e.g. chat messages (429).</summary>
    public const string RateLimited = "rate_limited";
}

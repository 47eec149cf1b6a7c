namespace CityArray.Grains.Interfaces.Validation;

/// <summary>
/// The one error model for validation and domain errors, on signage and civic alike: an HTTP-style
/// <see cref="Status"/>, the <see cref="Field"/> at fault when there is one, and a message meant for people.
/// Thrown anywhere (gateway or grain: it crosses grain calls intact), it is turned into an RFC 7807 problem
/// document once, by the gateway's exception handler.
/// </summary>
[GenerateSerializer, Alias("CityArray.RequestException")]
public class RequestException : Exception
{
    public RequestException(int status, string message, string? field = null, string? title = null) : base(message)
    {
        Status = status;
        Field = field;
        Title = title;
    }

    /// <summary>400, 403, 404, 409, 413, 429, 503 ...</summary>
    [Id(0)] public int Status { get; }

    /// <summary>The request field at fault (<c>sign_ids[1]</c>, <c>variables.exit</c>), when there is one.</summary>
    [Id(1)] public string? Field { get; }

    /// <summary>The problem title; a default per status when null.</summary>
    [Id(2)] public string? Title { get; }

    /// <summary>For 429: how long until the request would be accepted, when known.</summary>
    [Id(3)] public TimeSpan? RetryAfter { get; init; }

    /// <summary>A 400 about <paramref name="field"/>; the message names the field once.</summary>
    public static RequestException Invalid(string field, string reason) =>
        new(400, reason.StartsWith(field, StringComparison.Ordinal) ? reason : $"{field}: {reason}", field, "Invalid request");

    /// <summary>A 404 naming what is unknown.</summary>
    public static RequestException NotFound(string what, string id) =>
        new(404, $"No {what} with id '{id}'", title: $"Unknown {what}");

    /// <summary>A 409: the request conflicts with the current state.</summary>
    public static RequestException Conflict(string detail) => new(409, detail, title: "Conflict");

    /// <summary>Throws a 400 about <paramref name="field"/> when <paramref name="reason"/> is not null.</summary>
    public static void ThrowIfInvalid(string field, string? reason)
    {
        if (reason is not null) throw Invalid(field, reason);
    }
}

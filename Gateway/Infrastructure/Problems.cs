namespace CityArray.Gateway.Infrastructure;

/// <summary>RFC 7807 problem responses used by every endpoint, so errors look the same everywhere.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>400: says which field is wrong and why.</summary>
    public static IResult BadRequest(string field, string reason) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid request",
        detail: $"{field}: {reason}",
        extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>404: names what was not found.</summary>
    public static IResult NotFound(string what, string id) => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: $"Unknown {what}",
        detail: $"No {what} with id '{id}'");

    /// <summary>409: the request conflicts with the current state.</summary>
    public static IResult Conflict(string detail) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>429: rate limited; sets <c>Retry-After</c> (whole seconds, at least 1) on <paramref name="response"/>.</summary>
    public static IResult TooManyRequests(HttpResponse response, string detail, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["retry_after_seconds"] = seconds });
    }

    /// <summary>503: a dependency (cluster, storage, integration) is not available.</summary>
    public static IResult Unavailable(string detail) => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
}

using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// RFC 7807 problem responses used by every endpoint, so errors look the same everywhere. Validation and domain errors
/// are thrown as <see cref="RequestException"/> (from the gateway or a grain) and become a problem here, in
/// <see cref="From"/>, called once by <see cref="BadRequestExceptionHandler"/>.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// The problem document of <paramref name="e"/>: its status, title (a default per status), message as <c>detail</c>,
    /// <c>field</c> when it names one, and for a 429 <c>Retry-After</c> and <c>retry_after_seconds</c> when known.
    /// </summary>
    public static IResult From(RequestException e)
    {
        if (e.Status == StatusCodes.Status429TooManyRequests && e.RetryAfter is { } wait) return new WithRetryAfter(wait, e.Message);
        var extensions = e.Field is null ? null : new Dictionary<string, object?> { ["field"] = e.Field };
        return Results.Problem(statusCode: e.Status, title: e.Title ?? DefaultTitle(e.Status), detail: e.Message, extensions: extensions);
    }

    /// <summary>400: says which field is wrong and why (<c>field: reason</c>, or the reason alone when it starts with the field).</summary>
    public static IResult BadRequest(string field, string reason) => From(RequestException.Invalid(field, reason));

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

    private static string DefaultTitle(int status) => status switch
    {
        400 => "Invalid request",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Too large",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Request failed",
    };

    /// <summary>A 429 problem that sets <c>Retry-After</c> when it is written.</summary>
    private sealed class WithRetryAfter(TimeSpan wait, string detail) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => TooManyRequests(context.Response, detail, wait).ExecuteAsync(context);
    }
}

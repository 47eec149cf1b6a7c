using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Civic;

/// <summary>
/// The problem response a <see cref="CivicException"/> stands for (used by the gateway's one exception handler,
/// <see cref="BadRequestExceptionHandler"/>: endpoints let civic errors propagate rather than catching them).
/// </summary>
public static class CivicProblems
{
    public static IResult From(CivicException e) => e.Code switch
    {
        CivicErrors.Invalid => BadRequest(e.Field ?? "body", e.Message),
        CivicErrors.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: NotFoundTitle(e.Message), detail: e.Message),
        CivicErrors.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: e.Message),
        CivicErrors.Conflict => Problems.Conflict(e.Message),
        CivicErrors.RateLimited when e.RetryAfter is { } wait => new WithRetryAfter(wait, e.Message),
        CivicErrors.RateLimited => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: e.Message),
        _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: e.Message),
    };

    /// <summary>A 400 naming a required query parameter or the reason an id is malformed; null when the id is fine.</summary>
    public static IResult? CheckId(string? id, string field) =>
        string.IsNullOrEmpty(id) ? BadRequest(field, "is required")
        : CivicValidation.Id(id, field) is { } reason ? BadRequest(field, reason)
        : null;

    /// <summary>
    /// <see cref="Problems.BadRequest"/>, naming the field once: civic reasons usually start with the field's name
    /// already ("max_distance must be ..."), and then are not prefixed again.
    /// </summary>
    public static IResult BadRequest(string field, string reason) =>
        reason.StartsWith(field, StringComparison.Ordinal)
            ? Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid request",
                detail: reason,
                extensions: new Dictionary<string, object?> { ["field"] = field })
            : Problems.BadRequest(field, reason);

    /// <summary>A 429 problem with <c>Retry-After</c> (whole seconds, at least 1), as <see cref="Problems.TooManyRequests"/>.</summary>
    private sealed class WithRetryAfter(TimeSpan wait, string detail) : IResult
    {
        public Task ExecuteAsync(HttpContext context) =>
            Problems.TooManyRequests(context.Response, detail, wait).ExecuteAsync(context);
    }

    /// <summary>"Unknown user" / "Unknown event" / "Unknown collectible", like <see cref="Problems.NotFound"/>.</summary>
    private static string NotFoundTitle(string message)
    {
        foreach (var what in new[] { "user", "event", "collectible" })
        {
            if (message.StartsWith(what + " ", StringComparison.Ordinal)) return "Unknown " + what;
        }
        return "Not found";
    }
}

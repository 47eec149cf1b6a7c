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

    /// <summary>503: a dependency (cluster, storage, integration) is not available.</summary>
    public static IResult Unavailable(string detail) => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
}

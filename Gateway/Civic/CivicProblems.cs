using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Civic;

namespace CityArray.Gateway.Civic;

/// <summary>Turns a <see cref="CivicException"/> from a grain into the problem response its code stands for.</summary>
public static class CivicProblems
{
    /// <summary>Runs an endpoint body, answering civic rule violations as 400/403/404/409/429 problems.</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (CivicException e)
        {
            return From(e);
        }
    }

    public static IResult From(CivicException e) => e.Code switch
    {
        CivicErrors.Invalid => Problems.BadRequest(e.Field ?? "body", e.Message),
        CivicErrors.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: e.Message),
        CivicErrors.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: e.Message),
        CivicErrors.Conflict => Problems.Conflict(e.Message),
        CivicErrors.RateLimited => Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: e.Message),
        _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: e.Message),
    };

    /// <summary>A 400 naming a required query parameter or the reason an id is malformed; null when the id is fine.</summary>
    public static IResult? CheckId(string? id, string field) =>
        string.IsNullOrEmpty(id) ? Problems.BadRequest(field, "is required")
        : CivicValidation.Id(id, field) is { } reason ? Problems.BadRequest(field, reason)
        : null;
}

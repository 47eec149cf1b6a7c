using System.Text.Json;
using CityArray.Grains.Interfaces.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using CityArray.Gateway.Civic;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// The one place errors become RFC 7807 problem documents: a <see cref="RequestException"/> (validation or domain
/// error, thrown in the gateway or a grain; <see cref="CivicException"/> is one) answers its status naming the field,
/// and unreadable request bodies and parameters (malformed JSON, wrong field types, too deep, bad Unicode) a 400
/// that says what was wrong, instead of a bare status or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is CivicException civic)
        {
            await CivicProblems.From(civic).ExecuteAsync(context);
            return true;
        }
        if (exception is RequestException request)
        {
            await ToResult(request, context.Response).ExecuteAsync(context);
            return true;
        }
        if (exception is not BadHttpRequestException bad) return false;
        var json = bad.InnerException as JsonException;
        var field = string.IsNullOrEmpty(json?.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var detail = json is null ? bad.Message : $"{field}: {Explain(json.Message)}";
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Invalid request", Detail = detail, Extensions = { ["field"] = field } },
            Exception = exception,
        });
    }

    /// <summary>The problem response of a <see cref="RequestException"/>.</summary>
    public static IResult ToResult(RequestException e, HttpResponse response)
    {
        if (e.Status == StatusCodes.Status429TooManyRequests && e.RetryAfter is { } wait)
            return Problems.TooManyRequests(response, e.Message, wait);
        var extensions = e.Field is null ? null : new Dictionary<string, object?> { ["field"] = e.Field };
        return Results.Problem(statusCode: e.Status, title: e.Title ?? DefaultTitle(e.Status), detail: e.Message, extensions: extensions);
    }

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

    private static string Explain(string message)
    {
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) return "has the wrong type";
        if (message.Contains("maximum configured depth", StringComparison.Ordinal)) return "is nested too deeply";
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// Turns unreadable request bodies and parameters (malformed JSON, wrong field types) into a 400 problem
/// that says what was wrong, instead of a bare status or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var json = bad.InnerException as JsonException;
        var field = string.IsNullOrEmpty(json?.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var detail = json is null ? bad.Message : $"{field}: {Explain(json.Message)}";
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = "Invalid request", Detail = detail },
            Exception = exception,
        });
    }

    private static string Explain(string message)
    {
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) return "has the wrong type";
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

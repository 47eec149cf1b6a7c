using System.Text.Json;
using CityArray.Grains.Interfaces.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

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
        if (exception is RequestException request)
        {
            await Problems.From(request).ExecuteAsync(context);
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

    private static string Explain(string message)
    {
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) return "has the wrong type";
        if (message.Contains("maximum configured depth", StringComparison.Ordinal)) return "is nested too deeply";
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

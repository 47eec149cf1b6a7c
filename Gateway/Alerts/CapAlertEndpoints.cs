using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Alerts;
using CityArray.Grains.Interfaces.Validation;
using Microsoft.AspNetCore.Http.Features;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// <c>POST /api/alerts/cap</c>: a CAP 1.2 XML alert. The gateway only reads the document (<see cref="CapParser"/>) and
/// hands it to <see cref="ICapReceiverGrain"/>, which decides what is shown; the decision becomes the HTTP answer.
/// </summary>
public static class CapAlertEndpoints
{
    private static readonly string[] XmlContentTypes = ["application/cap+xml", "application/xml", "text/xml"];

    public static IEndpointRouteBuilder MapCapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/alerts/cap", HandleAsync)
            .WithTags("Alerts")
            .RequireRole(OperatorRoles.Operator)
            .Accepts<string>(XmlContentTypes[0], XmlContentTypes[1..])
            .WithSummary("Receive a CAP 1.2 alert: Alert raises overrides on the signs in its areas, Update replaces them, Cancel cancels them");
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, IClusterClient cluster, InputLimits limits)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !XmlContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"send the CAP document as {string.Join(", ", XmlContentTypes)}");
        if (await ReadBodyAsync(context, limits.MaxCapBodyBytes) is not { } body)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                detail: $"a CAP document may be at most {limits.MaxCapBodyBytes} bytes (CAP_MAX_BODY_BYTES)");

        var alert = CapParser.Parse(body, limits);
        var decision = await cluster.GetGrain<ICapReceiverGrain>(0).ReceiveAsync(alert);
        var response = new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, alert.Status.ToLowerInvariant(), decision.Status,
            decision.OverrideIds, decision.Ended, decision.CancelledOverrideIds, decision.Note);
        return decision.Outcome switch
        {
            CapOutcome.NotShown => Results.Accepted(value: response),
            CapOutcome.Raised => Results.Created((string?)null, response),
            _ => Results.Ok(response),
        };
    }

    /// <summary>The body, or null when it is larger than <paramref name="maxBodyBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpContext context, int maxBodyBytes)
    {
        if (context.Request.ContentLength > maxBodyBytes) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBodyBytes + 1;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }
}

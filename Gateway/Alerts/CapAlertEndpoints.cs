using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Alerts;
using Microsoft.AspNetCore.Http.Features;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// <c>POST /api/alerts/cap</c>: a CAP 1.2 XML alert. The gateway only reads the document (<see cref="CapParser"/>) and
/// hands it to <see cref="ICapReceiverGrain"/>, which decides what is shown; the decision becomes the HTTP answer.
/// </summary>
public static class CapAlertEndpoints
{
    /// <summary>The largest CAP document accepted (413 above).</summary>
    public const int MaxBodyBytes = 256 * 1024;

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

    private static async Task<IResult> HandleAsync(HttpContext context, IClusterClient cluster)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !XmlContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"send the CAP document as {string.Join(", ", XmlContentTypes)}");
        if (await ReadBodyAsync(context) is not { } body)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                detail: $"a CAP document may be at most {MaxBodyBytes / 1024} KiB");

        var alert = CapParser.Parse(body);
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

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes + 1;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }
}

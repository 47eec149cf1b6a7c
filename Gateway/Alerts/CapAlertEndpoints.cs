using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Alerts;
using Microsoft.AspNetCore.Http.Features;

namespace CityArray.Gateway.Alerts;

/// <summary>
/// <c>POST /api/alerts/cap</c>: a CAP 1.2 XML alert. <c>Alert</c> raises overrides on the signs in its areas,
/// <c>Update</c> raises the new ones and cancels those of the alerts it references, <c>Cancel</c> cancels them.
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

    private static async Task<IResult> HandleAsync(HttpContext context, IClusterClient cluster, TimeProvider clock)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !XmlContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"send the CAP document as {string.Join(", ", XmlContentTypes)}");
        if (await ReadBodyAsync(context) is not { } body)
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                detail: $"a CAP document may be at most {MaxBodyBytes / 1024} KiB");

        if (CapParser.Parse(body, out var invalid) is not { } alert) return Problems.BadRequest(invalid!.Value.Field, invalid.Value.Reason);
        var capStatus = alert.Status.ToLowerInvariant();
        if (alert.Status is "Draft" or "System")
            return Results.Accepted(value: new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, capStatus, "not_displayed", [],
                Note: $"{alert.Status} alerts are accepted but never shown on signs"));
        if (alert.Scope != "Public" && alert.MsgType is "Alert" or "Update")
            return Results.Accepted(value: new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, capStatus, "not_displayed", [],
                Note: $"{alert.Scope} alerts are addressed to specific recipients and are never shown on public signs"));
        if (alert.MsgType is "Ack" or "Error")
            return Results.Accepted(value: new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, capStatus, "acknowledged", [],
                Note: $"{alert.MsgType} messages need no action on signs"));

        // Every referenced alert must be known before anything changes.
        var referenced = alert.References.Select(r => r.Key).Distinct(StringComparer.Ordinal).ToArray();
        if (alert.MsgType is "Update" or "Cancel")
            foreach (var key in referenced)
                if (await cluster.GetGrain<ICapAlertGrain>(key).GetAsync() is null)
                    return Problems.NotFound("CAP alert", key);

        if (alert.MsgType == "Cancel")
        {
            var (ended, cancelledIds) = await EndAsync(cluster, referenced, CapAlertStatus.Cancelled, alert.Key);
            return Results.Ok(new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, capStatus, CapAlertStatus.Cancelled, [],
                ended, cancelledIds));
        }

        var overrides = CapOverrides.Plan(alert, clock.GetUtcNow(), out var unshowable);
        if (unshowable is { } u) return Problems.BadRequest(u.Field, u.Reason);
        // Raise first, then end the referenced alerts: signs switch straight to the new warning, never blank in between.
        var raised = await cluster.GetGrain<ICapAlertGrain>(alert.Key).RaiseAsync(alert.MsgType, capStatus, overrides);
        var (endedAlerts, endedIds) = alert.MsgType == "Update"
            ? await EndAsync(cluster, referenced, CapAlertStatus.Replaced, alert.Key)
            : ((IReadOnlyList<string>?)null, (IReadOnlyList<string>?)null);
        var response = new CapAlertResponse(alert.Identifier, alert.Sender, alert.MsgType, capStatus, raised.Alert.Status, raised.Alert.OverrideIds,
            endedAlerts, endedIds, raised.Created ? null : "already received: nothing new was raised");
        return raised.Created ? Results.Created((string?)null, response) : Results.Ok(response);
    }

    /// <summary>Ends the referenced alerts; the keys ended and the ids of their overrides.</summary>
    private static async Task<(IReadOnlyList<string>, IReadOnlyList<string>)> EndAsync(IClusterClient cluster, string[] keys, string status, string by)
    {
        var records = await Task.WhenAll(keys.Select(k => cluster.GetGrain<ICapAlertGrain>(k).EndAsync(status, by)));
        return (keys, records.SelectMany(r => r?.OverrideIds ?? []).ToArray());
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

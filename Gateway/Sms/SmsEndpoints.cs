using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Submissions;
using CityArray.Grains.Interfaces.Sms;
using CityArray.Grains.Interfaces.Submissions;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Sms;

/// <summary>
/// Twilio over HTTP: phone alerts (<c>POST /api/alerts/sms</c>, <c>/voice</c>, <c>GET /api/alerts/{id}</c>; operator
/// role) and Twilio's webhooks (<c>POST /api/sms/inbound</c>, <c>/api/sms/status</c>; Twilio's signature, 403 without a
/// valid one). Without Twilio's settings every one of them answers 503.
/// </summary>
public static class SmsEndpoints
{
    private const string NotConfigured = "Twilio is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER";

    public static IEndpointRouteBuilder MapSmsEndpoints(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").WithTags("Phone alerts").RequireRole(OperatorRoles.Operator);
        alerts.MapPost("/sms", (AlertRequest body, TwilioWebhook twilio, IClusterClient cluster) => SendAsync(AlertChannel.Sms, body, twilio, cluster))
            .WithSummary("Text an alert to numbers, a zone's subscribers or every subscriber; delivered at TWILIO_MESSAGES_PER_SECOND (operator)");
        alerts.MapPost("/voice", (AlertRequest body, TwilioWebhook twilio, IClusterClient cluster) => SendAsync(AlertChannel.Voice, body, twilio, cluster))
            .WithSummary("Call numbers, a zone's subscribers or every subscriber and read the alert (TwiML <Say>, en or es) (operator)");
        alerts.MapGet("/{alertId}", async (string alertId, IClusterClient cluster) =>
                CivicValidation.Id(alertId, "alert_id") is { } bad ? Problems.BadRequest("alert_id", bad)
                : await cluster.GetGrain<IPhoneAlertGrain>(alertId).GetAsync() is { } view ? Results.Ok(view) : Problems.NotFound("alert", alertId))
            .WithSummary("A phone alert with each recipient's delivery state (from Twilio's status callbacks) and a tally (operator)");

        var sms = app.MapGroup("/api/sms").WithTags("Phone alerts").DisableAntiforgery();
        sms.MapPost("/inbound", InboundAsync)
            .WithSummary("Twilio's inbound SMS webhook (signed): JOIN [zone], STOP, START, HELP, or a submission; answers TwiML");
        sms.MapPost("/status", StatusAsync)
            .WithSummary("Twilio's status callback for alert messages and calls (signed)");
        return app;
    }

    private static async Task<IResult> SendAsync(string channel, AlertRequest body, TwilioWebhook twilio, IClusterClient cluster)
    {
        if (!twilio.Enabled) return Problems.Unavailable(NotConfigured);
        var draft = body.ToDraft(channel);
        var id = $"alert-{Guid.NewGuid():N}";
        var view = await cluster.GetGrain<IPhoneAlertGrain>(id).CreateAsync(draft);
        if (view.Recipients.Any(r => r.Status == RecipientStatus.Pending)) await cluster.GetGrain<ISmsDispatcherGrain>(0).EnqueueAsync(id);
        return Results.Accepted($"/api/alerts/{id}", view);
    }

    private static async Task<IResult> InboundAsync(HttpRequest request, TwilioWebhook twilio, IClusterClient cluster, TimeProvider clock, ILoggerFactory logs)
    {
        if (!twilio.Enabled) return Problems.Unavailable(NotConfigured);
        if (await twilio.ReadSignedFormAsync(request) is not { } form) return Forbidden();
        var from = form.GetValueOrDefault("From")?.Trim() ?? "";
        if (CivicValidation.Phone(from) is not null) return SmsReplies.TwiML(null); // short codes and the like: nothing to do
        var text = form.GetValueOrDefault("Body") ?? "";
        var subscribers = cluster.GetGrain<ISmsSubscribersGrain>(0);
        var command = SmsCommand.Parse(text);
        logs.CreateLogger("CityArray.Sms").LogInformation("Inbound SMS from {From}: {Command}", PhoneMask.Mask(from), command.Kind);
        switch (command.Kind)
        {
            case SmsCommand.Join:
                await subscribers.JoinAsync(from, command.Zone);
                return SmsReplies.TwiML(SmsReplies.Joined(command.Zone));
            case SmsCommand.Stop:
                await subscribers.StopAsync(from);
                return SmsReplies.TwiML(SmsReplies.Stopped);
            case SmsCommand.Start:
                await subscribers.StartAsync(from);
                return SmsReplies.TwiML(SmsReplies.Started);
            case SmsCommand.Help:
                return SmsReplies.TwiML(SmsReplies.Help);
        }

        // Keyed by Twilio's message id: a webhook Twilio retries creates the submission once. The same intake (content
        // rules, rate limit) as the web form.
        var sid = form.GetValueOrDefault("MessageSid");
        var id = sid is { Length: > 0 } && CivicValidation.Id(sid, "sid") is null ? $"sms-{sid}" : $"sms-{Guid.NewGuid():N}";
        SubmissionReceipt receipt;
        try
        {
            receipt = await cluster.GetGrain<ISubmissionIntakeGrain>(0).SubmitAsync(
                new SubmissionInput($"SMS {PhoneMask.Mask(from)}", text, from, null, SubmissionSource.Sms, $"phone:{from}", id));
        }
        catch (RequestException refused)
        {
            // The sender reads the same rule a web form would show, as one line ("text must not contain links ...").
            return SmsReplies.TwiML(SmsReplies.Refused(refused.Field is { } field && refused.Message.StartsWith(field + ": ", StringComparison.Ordinal)
                ? $"{field} {refused.Message[(field.Length + 2)..]}" : refused.Message));
        }
        if (receipt.Submission is null) return SmsReplies.TwiML(SmsReplies.TooMany);
        return SmsReplies.TwiML(SmsReplies.Received);
    }

    private static async Task<IResult> StatusAsync(HttpRequest request, string? alert_id, int? recipient, TwilioWebhook twilio, IClusterClient cluster)
    {
        if (!twilio.Enabled) return Problems.Unavailable(NotConfigured);
        if (await twilio.ReadSignedFormAsync(request) is not { } form) return Forbidden();
        if (alert_id is null || CivicValidation.Id(alert_id, "alert_id") is not null || recipient is not { } index)
            return Problems.BadRequest("alert_id", "the callback URL must name alert_id and recipient");
        var status = form.GetValueOrDefault("MessageStatus") ?? form.GetValueOrDefault("CallStatus");
        if (string.IsNullOrEmpty(status)) return Problems.BadRequest("MessageStatus", "is required");
        var sid = form.GetValueOrDefault("MessageSid") ?? form.GetValueOrDefault("CallSid");
        var known = await cluster.GetGrain<IPhoneAlertGrain>(alert_id).ReportStatusAsync(index, status, form.GetValueOrDefault("ErrorCode"), sid);
        return known ? Results.NoContent() : Problems.NotFound("alert recipient", $"{alert_id}/{index}");
    }

    private static IResult Forbidden() => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "missing or invalid X-Twilio-Signature");
}

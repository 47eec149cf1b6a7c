using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using System.Net;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Submissions;

namespace CityArray.Gateway.Submissions;

/// <summary>
/// REST for attendee submissions: <c>POST /api/submissions</c> (public, rate limited per client IP), and for operators the
/// moderation queue <c>GET /api/submissions?status=</c>, <c>GET /api/submissions/{id}</c>, <c>.../approve</c> and <c>.../reject</c>.
/// </summary>
public static class SubmissionEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var submissions = app.MapGroup("/api/submissions").WithTags("Submissions");

        submissions.MapPost("/", async (SubmissionRequest body, HttpContext http, IClusterClient cluster) =>
            {
                var input = new SubmissionInput(body.Name, body.Text, body.Contact, body.Zone, SubmissionSource.Web, ClientKey(http));
                return await cluster.GetGrain<ISubmissionIntakeGrain>(0).SubmitAsync(input) switch
                {
                    { Submission: { } created } => Results.Created($"/api/submissions/{created.Id}", created),
                    { RetryAfter: var retryAfter } => Problems.TooManyRequests(http.Response, "too many submissions from this client; try again later", retryAfter ?? TimeSpan.FromSeconds(1)),
                };
            })
            .WithSummary("Submit a message for the signs (name, text, optional contact and zone); it waits for moderation as pending");

        submissions.MapGet("/", async (string? status, int? limit, IClusterClient cluster) =>
            {
                status ??= SubmissionStatus.Pending;
                if (!SubmissionStatus.All.Contains(status)) return Problems.BadRequest("status", $"must be one of {string.Join(", ", SubmissionStatus.All)}");
                if (limit is < 1 or > MaxLimit) return Problems.BadRequest("limit", $"must be a whole number from 1 to {MaxLimit}");
                return Results.Ok(await cluster.GetGrain<ISubmissionQueueGrain>(0).ListViewsAsync(status, limit ?? DefaultLimit));
            })
            .RequireRole(OperatorRoles.Moderator)
            .WithSummary("The moderation queue: submissions with a status (default pending), oldest first, up to limit (1-500, default 100)");

        submissions.MapGet("/{submissionId}", async (string submissionId, IClusterClient cluster) =>
                await cluster.GetGrain<ISubmissionGrain>(submissionId).GetAsync() is { } view ? Results.Ok(view) : Problems.NotFound("submission", submissionId))
            .RequireRole(OperatorRoles.Moderator)
            .WithSummary("One submission, with its contact and moderation outcome");

        submissions.MapPost("/{submissionId}/approve", async (string submissionId, ApprovalRequest? body, IClusterClient cluster) =>
            {
                body?.Validate();
                var result = await cluster.GetGrain<ISubmissionGrain>(submissionId)
                    .ApproveAsync(body?.ToTarget(), body?.DisplaySeconds ?? ApprovalRequest.DefaultDisplaySeconds);
                return Moderated(submissionId, result);
            })
            .RequireRole(OperatorRoles.Moderator)
            .WithSummary("Approve a pending submission: it is sent to signs as \"{name}: {text}\" (target: body, else its zone, else all)");

        submissions.MapPost("/{submissionId}/reject", async (string submissionId, RejectionRequest? body, IClusterClient cluster) =>
            {
                body?.Validate();
                return Moderated(submissionId, await cluster.GetGrain<ISubmissionGrain>(submissionId).RejectAsync(body?.Reason?.Trim()));
            })
            .RequireRole(OperatorRoles.Moderator)
            .WithSummary("Reject a pending submission, with an optional reason");
        return app;
    }

    private static IResult Moderated(string submissionId, ModerationResult result) => result switch
    {
        { Submission: null } => Problems.NotFound("submission", submissionId),
        { Changed: false, Submission: var s } => Problems.Conflict($"submission '{submissionId}' is already {s.Status}"),
        { Submission: var s } => Results.Ok(s),
    };

    /// <summary>The rate-limit key of the caller: its IP address as the server sees it (IPv4-mapped addresses as IPv4).</summary>
    private static string ClientKey(HttpContext http) => http.Connection.RemoteIpAddress switch
    {
        { IsIPv4MappedToIPv6: true } mapped => $"ip:{mapped.MapToIPv4()}",
        IPAddress address => $"ip:{address}",
        null => "ip:unknown",
    };
}

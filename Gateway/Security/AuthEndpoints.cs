using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Security;

namespace CityArray.Gateway.Security;

/// <summary>
/// Operator sign-in <c>POST /api/auth/token</c>, <c>GET /api/auth/status</c>, and the admin's operator accounts
/// <c>/api/operators</c>.
/// </summary>
public static class AuthEndpoints
{
    /// <summary>Body of <c>POST /api/auth/token</c>.</summary>
    public sealed record SignInRequest(string? Username, string? Password);

    /// <summary>Body of <c>POST /api/operators</c>.</summary>
    public sealed record CreateOperatorRequest(string? Username, string? Password, string? Role);

    /// <summary>Body of <c>PUT /api/operators/{username}/password</c>.</summary>
    public sealed record PasswordRequest(string? Password);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapPost("/token", async (SignInRequest body, HttpContext http, IClusterClient cluster, TokenService tokens, SecurityOptions security) =>
            {
                if (string.IsNullOrEmpty(body.Username) || body.Username.Length > SecurityLimits.MaxUsernameLength)
                    return Problems.BadRequest("username", "is required (at most 64 characters)");
                if (string.IsNullOrEmpty(body.Password) || body.Password.Length > SecurityLimits.MaxPasswordLength)
                    return Problems.BadRequest("password", "is required (at most 256 characters)");
                var result = SecurityLimits.Username(body.Username) is null
                    ? await cluster.GetGrain<IOperatorGrain>(body.Username).SignInAsync(body.Password)
                    : new SignInResult(false, null, SignInResult.Invalid, null);
                return result switch
                {
                    { Success: true, Role: { } role } => Results.Ok(new
                    {
                        access_token = tokens.IssueOperator(body.Username, role),
                        token_type = "bearer",
                        expires_in = (int)security.OperatorTokenLifetime.TotalSeconds,
                        role,
                    }),
                    { Outcome: SignInResult.Locked, RetryAfter: var retry } => Problems.TooManyRequests(http.Response,
                        "too many failed sign-ins: this account is locked for a while", retry ?? TimeSpan.FromMinutes(1)),
                    _ => Caller.Unauthorized("wrong username or password, or the account is disabled"),
                };
            })
            .RequireRateLimiting(SecurityServices.SignInPolicy)
            .WithSummary("Operator sign-in: {username, password} -> {access_token, token_type: bearer, expires_in, role}");

        auth.MapGet("/status", (HttpContext http, SecurityOptions security) => Results.Ok(new
            {
                mode = security.Secured ? "secured" : "open",
                role = http.User.OperatorRole(),
                user_id = http.User.UserId(),
                username = http.User.OperatorRole() is null ? null : http.User.Identity?.Name,
            }))
            .WithSummary("Whether sign-in is needed (mode: open or secured) and who the presented token belongs to");

        var operators = app.MapGroup("/api/operators").WithTags("Auth").RequireRole(OperatorRoles.Admin);

        operators.MapGet("/", async (IClusterClient cluster) =>
            {
                var names = await cluster.GetGrain<IOperatorDirectoryGrain>(0).ListAsync();
                var views = await Task.WhenAll(names.Select(n => cluster.GetGrain<IOperatorGrain>(n).GetAsync()));
                return Results.Ok(views.Where(v => v is not null));
            })
            .WithSummary("Every operator account (admin)");

        operators.MapPost("/", async (CreateOperatorRequest body, IClusterClient cluster) =>
            {
                if (SecurityLimits.Username(body.Username) is { } badName) return Problems.BadRequest("username", badName);
                if (SecurityLimits.Password(body.Password) is { } weak) return Problems.BadRequest("password", weak);
                if (!OperatorRoles.IsRole(body.Role)) return Problems.BadRequest("role", $"must be one of {string.Join(", ", OperatorRoles.All)}");
                var account = cluster.GetGrain<IOperatorGrain>(body.Username!);
                return await account.CreateAsync(body.Password!, body.Role!)
                    ? Results.Created($"/api/operators/{body.Username}", await account.GetAsync())
                    : Problems.Conflict($"operator '{body.Username}' already exists");
            })
            .WithSummary("Create an operator account: username, password (12+ characters), role (viewer, moderator, operator, admin)");

        operators.MapPost("/{username}/disable", (string username, IClusterClient cluster) => SetDisabled(username, true, cluster))
            .WithSummary("Disable an operator: sign-in and the tokens already issued stop working");
        operators.MapPost("/{username}/enable", (string username, IClusterClient cluster) => SetDisabled(username, false, cluster))
            .WithSummary("Enable a disabled operator again");

        operators.MapPut("/{username}/password", async (string username, PasswordRequest body, IClusterClient cluster) =>
            {
                if (SecurityLimits.Username(username) is { } badName) return Problems.BadRequest("username", badName);
                if (SecurityLimits.Password(body.Password) is { } weak) return Problems.BadRequest("password", weak);
                return await cluster.GetGrain<IOperatorGrain>(username).SetPasswordAsync(body.Password!) is { } view
                    ? Results.Ok(view) : Problems.NotFound("operator", username);
            })
            .WithSummary("Set an operator's password (and clear a lockout)");
        return app;
    }

    private static async Task<IResult> SetDisabled(string username, bool disabled, IClusterClient cluster)
    {
        if (SecurityLimits.Username(username) is { } badName) return Problems.BadRequest("username", badName);
        return await cluster.GetGrain<IOperatorGrain>(username).SetDisabledAsync(disabled) is { } view
            ? Results.Ok(view) : Problems.NotFound("operator", username);
    }
}

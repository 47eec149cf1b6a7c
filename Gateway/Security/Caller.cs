using System.Security.Claims;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Security;

namespace CityArray.Gateway.Security;

/// <summary>Who is calling, as proven by a verified token: a user (session token) or an operator (role), or nobody.</summary>
public static class Caller
{
    /// <summary>The user id of a verified user session token, or null.</summary>
    public static string? UserId(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.HasClaim(TokenService.RoleClaim, TokenService.UserRole)
            ? principal.FindFirstValue(TokenService.SubjectClaim)
            : null;

    /// <summary>True if a verified operator token holds <paramref name="minimumRole"/> or a higher role.</summary>
    public static bool HasOperatorRole(this ClaimsPrincipal principal, string minimumRole) =>
        principal.Identity?.IsAuthenticated == true &&
        OperatorRoles.AtLeast(minimumRole).Any(r => principal.HasClaim(TokenService.RoleClaim, r));

    /// <summary>The operator role of a verified operator token, or null.</summary>
    public static string? OperatorRole(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true && principal.FindFirstValue(TokenService.RoleClaim) is { } r && OperatorRoles.IsRole(r) ? r : null;

    /// <summary>
    /// The user a user action acts as. With a session token: the token's user; a <paramref name="claimed"/> id (the
    /// <c>creator_id</c>/<c>user_id</c> query value) that names someone else is refused with 403. Without a token: refused
    /// with 401 when secured; in open mode the claimed id as given (the caller still checks it).
    /// </summary>
    public static (string? UserId, IResult? Problem) ActingUser(HttpContext http, SecurityOptions security, string? claimed, string field)
    {
        if (http.User.UserId() is { } tokenUser)
        {
            return claimed is null || claimed == tokenUser
                ? (tokenUser, null)
                : (null, Forbidden($"{field} '{claimed}' is not the signed-in user; omit it or pass your own id"));
        }
        if (security.Secured && http.User.OperatorRole() is not null)
            return (null, Forbidden("an operator token cannot act as a user; users send their own session token"));
        return security.Secured
            ? (null, Unauthorized("sign in as a user: send the token returned by POST /api/users/register as Authorization: Bearer <token>"))
            : (claimed, null);
    }

    public static IResult Unauthorized(string detail) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);

    public static IResult Forbidden(string detail) => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    /// <summary>Writes a problem answer straight to the response (for socket endpoints refused before the upgrade).</summary>
    public static Task WriteAsync(HttpContext http, IResult problem) => problem.ExecuteAsync(http);
}

using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CityArray.Gateway.Security;

/// <summary>
/// Issues and describes the HS256 JWTs of the gateway: operator tokens (<c>sub</c> = username, <c>role</c> = an operator
/// role) and user session tokens (<c>sub</c> = user id, <c>role</c> = <c>user</c>). Both are signed with <c>SECRET_KEY</c>.
/// </summary>
public sealed class TokenService(SecurityOptions options, TimeProvider clock)
{
    public const string Issuer = "cityarray";
    public const string Audience = "cityarray";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";
    public const string UserRole = "user";

    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>An operator token for <paramref name="username"/> with <paramref name="role"/>.</summary>
    public string IssueOperator(string username, string role) => Issue(username, role, options.OperatorTokenLifetime);

    /// <summary>A session token bound to <paramref name="userId"/>.</summary>
    public string IssueUser(string userId) => Issue(userId, UserRole, options.UserTokenLifetime);

    private string Issue(string subject, string role, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([new Claim(SubjectClaim, subject), new Claim(RoleClaim, role)]),
            SigningCredentials = new SigningCredentials(options.SigningKeys[0], SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>What a verifier accepts: our issuer and audience, HS256 only (never <c>alg: none</c>), a lifetime, little clock skew.</summary>
    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = options.SigningKeys,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = SubjectClaim,
        RoleClaimType = RoleClaim,
    };
}

using CityArray.Grains.Interfaces.Security;

namespace CityArray.Gateway.Security;

/// <summary>
/// One authorization policy per operator role, named after it. Secured: the caller's operator token must hold the role or a
/// higher one (roles are cumulative). Open mode: every policy passes.
/// </summary>
public static class RolePolicies
{
    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options, bool secured)
    {
        foreach (var role in OperatorRoles.All)
        {
            options.AddPolicy(role, policy =>
            {
                if (secured) policy.RequireAuthenticatedUser().RequireRole(OperatorRoles.AtLeast(role));
                else policy.RequireAssertion(_ => true);
            });
        }
    }

    /// <summary>Only operators with <paramref name="role"/> or higher may call these endpoints (when secured).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(role);
}

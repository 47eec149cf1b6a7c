using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Users;

/// <summary>
/// REST for civic users (<c>/api/users</c>) and the user socket <c>WS /ws/{user_id}</c>. Bad input and broken rules are
/// thrown as <see cref="RequestException"/> (here or by the grains) and become problem documents in one place.
/// </summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Civic users");

        users.MapPost("/register", async (RegisterUserRequest body, IClusterClient cluster, TokenService tokens) =>
            {
                RequestException.ThrowIfInvalid("phone", CivicValidation.Phone(body.Phone));
                RequestException.ThrowIfInvalid("name", CivicValidation.UserName(body.Name));
                var phone = PhoneNumber.Normalize(body.Phone)!;
                var result = await cluster.GetGrain<IPhoneRegistryGrain>(phone).RegisterAsync(body.Name!);
                return result.Created
                    ? Results.Created($"/api/users/{result.User.Id}", SecretWire.With(result.User, "token", tokens.IssueUser(result.User.Id)))
                    : Problems.Conflict($"phone {phone} is already registered");
            })
            .WithSummary("Register a user by E.164 phone; the answer's token is the user's session token (shown once); a phone already registered is a 409");

        users.MapGet("/{userId}", async (string userId, HttpContext http, IClusterClient cluster) =>
            {
                EntityId.Check(userId, "user_id");
                return await cluster.GetGrain<IUserGrain>(userId).GetAsync() is { } user
                    // The phone is personal data: only the user (own token) and admins see it.
                    ? Results.Ok(http.User.UserId() == userId || http.User.HasOperatorRole(OperatorRoles.Admin) ? SecretWire.With(user, "phone", user.Phone) : SecretWire.Without(user, "phone"))
                    : Problems.NotFound("user", userId);
            })
            .WithSummary("A user's profile with stats (events_created, events_attended, collectibles_count); phone only for the user and admins");

        users.MapGet("/{userId}/collectibles", async (string userId, IClusterClient cluster) =>
            {
                EntityId.Check(userId, "user_id");
                return Results.Ok(await cluster.GetGrain<IUserGrain>(userId).GetCollectiblesAsync());
            })
            .WithSummary("The user's collectibles inventory (an array, oldest claim first)");

        // A singleton taken once: no request scope per socket upgrade (see GatewayApp's sign and dashboard sockets).
        var sockets = app.ServiceProvider.GetRequiredService<UserSocketEndpoint>();
        app.Map("/ws/{userId}", (HttpContext context, string userId) => sockets.HandleAsync(context, userId))
            .ExcludeFromDescription();
        return app;
    }
}

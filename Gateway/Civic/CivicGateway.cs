using CityArray.Gateway.Events;
using CityArray.Gateway.Users;

namespace CityArray.Gateway.Civic;

/// <summary>Wires the civic REST endpoints and the user socket into the gateway.</summary>
public static class CivicGateway
{
    public static IServiceCollection AddCivicGateway(this IServiceCollection services)
    {
        services.AddSingleton<EventFanout>();
        services.AddSingleton<UserSocketEndpoint>();
        return services;
    }

    public static IEndpointRouteBuilder MapCivic(this IEndpointRouteBuilder app)
    {
        app.MapCivicEndpoints();
        app.Map("/ws/{userId}", (HttpContext context, string userId, UserSocketEndpoint endpoint) => endpoint.HandleAsync(context, userId))
            .ExcludeFromDescription();
        return app;
    }
}

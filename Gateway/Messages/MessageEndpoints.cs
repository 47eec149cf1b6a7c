using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Gateway.Messages;

/// <summary>REST for messages to signs: <c>POST /api/messages</c> and the delivery report <c>GET /api/messages/{id}</c>.</summary>
public static class MessageEndpoints
{
    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/api/messages").WithTags("Messages");

        messages.MapPost("/", (MessageRequest body, IClusterClient cluster, Grains.CityArrayClock clock) =>
            {
                var (id, now) = (EntityIds.NewMessage(), clock.GetUtcNow());
                return body.SendAsync(cluster, now, $"/api/messages/{id}",
                    text => cluster.GetGrain<IMessageGrain>(id).SendAsync(body.ToMessage(id, text, now), body.ToTarget(), body.Language));
            })
            .RequireRole(OperatorRoles.Operator)
            .WithSummary("Send text or a template to sign_ids, a zone, or all signs; every covered sign gets it now or on reconnect");

        messages.MapGet("/{messageId}", async (string messageId, IClusterClient cluster) =>
                await cluster.GetGrain<IMessageGrain>(messageId).GetAsync() is { } report ? Results.Ok(report) : Problems.NotFound("message", messageId))
            .RequireRole(OperatorRoles.Viewer)
            .WithSummary("The message and its per-sign delivery: queued, sent, acked, with times");
        return app;
    }
}

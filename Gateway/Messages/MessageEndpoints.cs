using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Templates;
using CityArray.Grains.Interfaces;
using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Gateway.Messages;

/// <summary>REST for messages to signs: <c>POST /api/messages</c> and the delivery report <c>GET /api/messages/{id}</c>.</summary>
public static class MessageEndpoints
{
    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/api/messages").WithTags("Messages");

        messages.MapPost("/", async (MessageRequest body, IClusterClient cluster, TimeProvider clock) =>
            {
                var now = clock.GetUtcNow();
                if (body.Validate(now) is { } invalid) return Problems.BadRequest(invalid.Field, invalid.Reason);
                var (text, error) = await body.ResolveTextAsync(cluster);
                if (error is { } e) return Problems.BadRequest(e.Field, e.Reason);
                var id = EntityIds.NewMessage();
                var report = await cluster.GetGrain<IMessageGrain>(id).SendAsync(body.ToMessage(id, text!, now), body.ToTarget(), body.Language);
                return Results.Created($"/api/messages/{id}", report);
            })
            .WithSummary("Send text or a template to sign_ids, a zone, or all signs; every covered sign gets it now or on reconnect");

        messages.MapGet("/{messageId}", async (string messageId, IClusterClient cluster) =>
                await cluster.GetGrain<IMessageGrain>(messageId).GetAsync() is { } report ? Results.Ok(report) : Problems.NotFound("message", messageId))
            .WithSummary("The message and its per-sign delivery: queued, sent, acked, with times");
        return app;
    }
}

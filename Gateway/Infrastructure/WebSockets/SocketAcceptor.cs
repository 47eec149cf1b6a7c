namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>Accepts WebSocket upgrades (answering a plain HTTP request with a 400 problem) and wraps them with the gateway's limits.</summary>
public sealed class SocketAcceptor(SocketLimits limits, ILogger<SocketConnection> logger)
{
    /// <summary>The accepted socket, or null after answering 400 to a request that is not a WebSocket upgrade.</summary>
    public async Task<System.Net.WebSockets.WebSocket?> AcceptAsync(HttpContext context)
    {
        // A browser that sent its token as the subprotocol pair "access_token, <jwt>" needs "access_token" selected back.
        if (context.WebSockets.IsWebSocketRequest)
            return await context.WebSockets.AcceptWebSocketAsync(
                context.WebSockets.WebSocketRequestedProtocols.Contains("access_token") ? "access_token" : null);
        await Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "WebSocket required",
            detail: "This endpoint speaks WebSocket: connect with a WebSocket client (ws:// or wss://).").ExecuteAsync(context);
        return null;
    }

    public SocketConnection Wrap(System.Net.WebSockets.WebSocket socket) => new(socket, limits, logger);
}

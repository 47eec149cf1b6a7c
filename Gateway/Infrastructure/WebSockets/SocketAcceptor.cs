namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>Accepts WebSocket upgrades (answering a plain HTTP request with a 400 problem) and wraps them with the gateway's limits.</summary>
public sealed class SocketAcceptor(SocketLimits limits, ILogger<SocketConnection> logger, OpenSockets open)
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Net.WebSockets.WebSocket, string> _kinds = new();

    /// <summary>The accepted socket, or null after answering 400 to a request that is not a WebSocket upgrade.</summary>
    public async Task<System.Net.WebSockets.WebSocket?> AcceptAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync();
            _kinds.AddOrUpdate(socket, CityArrayMetrics.KindOf(context.Request.Path));
            return socket;
        }
        await Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "WebSocket required",
            detail: "This endpoint speaks WebSocket: connect with a WebSocket client (ws:// or wss://).").ExecuteAsync(context);
        return null;
    }

    public SocketConnection Wrap(System.Net.WebSockets.WebSocket socket)
    {
        var connection = new SocketConnection(socket, limits, logger) { Kind = _kinds.TryGetValue(socket, out var kind) ? kind : "other" };
        open.Add(connection);
        return connection;
    }
}

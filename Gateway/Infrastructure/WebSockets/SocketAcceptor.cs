using System.Net.WebSockets;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// Accepts WebSocket upgrades (answering a plain HTTP request with a 400 problem), caps the open sockets of this
/// gateway (<see cref="SocketLimits.MaxConnections"/>: more are closed with 1013 "try again later") and wraps them
/// with the gateway's limits.
/// </summary>
public sealed class SocketAcceptor(SocketLimits limits, ILogger<SocketConnection> logger, OpenSockets open)
{
    /// <summary>Close status for a gateway at its connection cap (RFC 6455 1013, "try again later").</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private int _open;

    /// <summary>Sockets open on this gateway now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The accepted socket, or null after answering 400 (not an upgrade) or closing with 1013 (gateway full).</summary>
    public async Task<WebSocket?> AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "WebSocket required",
                detail: "This endpoint speaks WebSocket: connect with a WebSocket client (ws:// or wss://).").ExecuteAsync(context);
            return null;
        }
        // A browser that sent its token as the subprotocol pair "access_token, <jwt>" needs "access_token" selected back.
        var socket = await context.WebSockets.AcceptWebSocketAsync(
            context.WebSockets.WebSocketRequestedProtocols.Contains("access_token") ? "access_token" : null);
        if (Interlocked.Increment(ref _open) > limits.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            logger.LogWarning("Refused a socket: {Max} connections open on this gateway", limits.MaxConnections);
            try
            {
                using var timeout = new CancellationTokenSource(limits.SendTimeout);
                await socket.CloseOutputAsync(TryAgainLater, "gateway full: try again later", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            socket.Dispose();
            return null;
        }
        context.Response.RegisterForDispose(new Release(this));
        return socket;
    }

    /// <summary>The accepted <paramref name="socket"/> of <paramref name="context"/>'s request with the gateway's limits, tracked until it closes.</summary>
    public SocketConnection Wrap(HttpContext context, WebSocket socket)
    {
        var connection = new SocketConnection(socket, limits, logger) { Kind = CityArrayMetrics.KindOf(context.Request.Path) };
        open.Add(connection);
        return connection;
    }

    /// <summary>Gives the slot back when the request ends, however it ends.</summary>
    private sealed class Release(SocketAcceptor owner) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._open);
        }
    }
}

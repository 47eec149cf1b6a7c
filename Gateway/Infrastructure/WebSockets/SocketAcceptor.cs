using System.Net.WebSockets;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// Accepts WebSocket upgrades (answering a plain HTTP request with a 400 problem), caps the open sockets of this
/// gateway (<see cref="SocketLimits.MaxConnections"/>: more are closed with 1013 "try again later") and wraps them
/// with the gateway's limits, tracked in <see cref="OpenSockets"/> until their request ends.
/// </summary>
public sealed class SocketAcceptor
{
    /// <summary>Close status for a gateway at its connection cap (RFC 6455 1013, "try again later").</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly SocketLimits _limits;
    private readonly ILogger<SocketConnection> _logger;
    private readonly OpenSockets _sockets;
    private readonly Action<SocketConnection> _released;
    private int _open;

    public SocketAcceptor(SocketLimits limits, ILogger<SocketConnection> logger, OpenSockets open)
    {
        _limits = limits;
        _logger = logger;
        _sockets = open;
        // One delegate for every connection (none allocated per socket).
        _released = connection =>
        {
            Interlocked.Decrement(ref _open);
            open.Remove(connection);
        };
    }

    /// <summary>Sockets open on this gateway now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// The accepted socket with the gateway's limits, or null after answering 400 (not an upgrade) or closing with 1013
    /// (gateway full). It is disposed when the request ends, however it ends (disposing it sooner is safe).
    /// </summary>
    public async Task<SocketConnection?> AcceptAsync(HttpContext context)
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
        if (Interlocked.Increment(ref _open) > _limits.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            _logger.LogWarning("Refused a socket: {Max} connections open on this gateway", _limits.MaxConnections);
            try
            {
                using var timeout = new CancellationTokenSource(_limits.SendTimeout);
                await socket.CloseOutputAsync(TryAgainLater, "gateway full: try again later", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            socket.Dispose();
            return null;
        }
        var connection = new SocketConnection(socket, _limits, _logger, _released) { Kind = CityArrayMetrics.KindOf(context.Request.Path) };
        context.Response.RegisterForDispose(connection);
        _sockets.Add(connection);
        return connection;
    }
}

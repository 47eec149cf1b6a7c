namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>How every socket endpoint opens: accept the upgrade (a plain HTTP request gets a 400 problem), wrap it with the limits, admit or refuse.</summary>
public static class SocketOpening
{
    /// <summary>
    /// The opened socket, or null when the request was not a WebSocket upgrade, or when <paramref name="refusal"/> gave a
    /// reason: the client then gets <c>{"type":"error","code":<paramref name="refusalCode"/>,...}</c> and a policy-violation close.
    /// </summary>
    public static async Task<OpenedSocket?> OpenAsync(this SocketAcceptor acceptor, HttpContext context, string refusalCode,
        Func<Task<string?>> refusal)
    {
        var socket = await acceptor.AcceptAsync(context);
        if (socket is null) return null;
        var connection = acceptor.Wrap(context, socket);
        try
        {
            if (await refusal() is not { } reason) return new OpenedSocket(socket, connection);
            await connection.RefuseAsync(refusalCode, reason, context.RequestAborted);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        socket.Dispose();
        return null;
    }
}

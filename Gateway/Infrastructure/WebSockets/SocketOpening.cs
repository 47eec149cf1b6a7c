namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>How every socket endpoint opens: accept the upgrade (a plain HTTP request gets a 400 problem), wrap it with the limits, admit or refuse.</summary>
public static class SocketOpening
{
    /// <summary>
    /// The opened connection, or null when the request was not a WebSocket upgrade, or when <paramref name="refusal"/> gave a
    /// reason: the client then gets <c>{"type":"error","code":<paramref name="refusalCode"/>,...}</c> and a policy-violation close.
    /// </summary>
    public static async Task<SocketConnection?> OpenAsync(this SocketAcceptor acceptor, HttpContext context, string refusalCode,
        Func<Task<string?>> refusal)
    {
        var connection = await acceptor.AcceptAsync(context);
        if (connection is null) return null;
        // A refusal that throws leaves the connection to the request's end, which disposes it.
        if (await refusal() is not { } reason) return connection;
        await connection.RefuseAsync(refusalCode, reason);
        connection.Dispose();
        return null;
    }
}

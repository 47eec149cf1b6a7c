using CityArray.Gateway.Infrastructure.WebSockets;

namespace CityArray.Gateway.Signs;

/// <summary>
/// The sign sockets this gateway holds, by sign id. A sign may briefly have two (a reconnect racing the old
/// socket's close); both are kept until each closes, so whichever the grain counts as current is always reachable.
/// </summary>
public sealed class SignConnections
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SocketConnection>> _bySign = new(StringComparer.Ordinal);

    public int Count
    {
        get { lock (_gate) return _bySign.Count; }
    }

    public void Add(string signId, SocketConnection connection)
    {
        lock (_gate)
        {
            if (!_bySign.TryGetValue(signId, out var list)) _bySign[signId] = list = [];
            list.Add(connection);
        }
    }

    public void Remove(string signId, SocketConnection connection)
    {
        lock (_gate)
        {
            if (!_bySign.TryGetValue(signId, out var list)) return;
            list.Remove(connection);
            if (list.Count == 0) _bySign.Remove(signId);
        }
    }

    /// <summary>Closes every socket of the sign held here (its credential changed); they must reconnect with the new one.</summary>
    public void CloseAll(string signId, string reason)
    {
        SocketConnection[] targets;
        lock (_gate)
        {
            if (!_bySign.TryGetValue(signId, out var list)) return;
            targets = [.. list];
        }
        foreach (var connection in targets) connection.Close(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, reason);
    }

    /// <summary>Queues <paramref name="utf8Json"/> on every socket of the sign held here; false when there is none.</summary>
    public bool Send(string signId, byte[] utf8Json)
    {
        SocketConnection[] targets;
        lock (_gate)
        {
            if (!_bySign.TryGetValue(signId, out var list)) return false;
            targets = [.. list];
        }
        foreach (var connection in targets) connection.Send(utf8Json);
        return true;
    }
}

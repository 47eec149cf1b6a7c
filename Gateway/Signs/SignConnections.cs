using System.Collections.Concurrent;
using CityArray.Gateway.Infrastructure.WebSockets;

namespace CityArray.Gateway.Signs;

/// <summary>The sign sockets this gateway holds, by sign id (the newest connection of a sign wins).</summary>
public sealed class SignConnections
{
    private readonly ConcurrentDictionary<string, SocketConnection> _bySign = new(StringComparer.Ordinal);

    public int Count => _bySign.Count;

    public void Add(string signId, SocketConnection connection) => _bySign[signId] = connection;

    /// <summary>Forgets the connection, unless a newer connection of the sign replaced it here already.</summary>
    public void Remove(string signId, SocketConnection connection) =>
        _bySign.TryRemove(new KeyValuePair<string, SocketConnection>(signId, connection));

    public bool TryGet(string signId, out SocketConnection connection) => _bySign.TryGetValue(signId, out connection!);
}

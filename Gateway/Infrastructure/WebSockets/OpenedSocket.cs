using System.Net.WebSockets;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// The opening every socket endpoint shares (<see cref="SocketOpening.OpenAsync"/>): an accepted, admitted socket and
/// its <see cref="SocketConnection"/>. Disposing it disposes the socket.
/// </summary>
public sealed class OpenedSocket(WebSocket socket, SocketConnection connection) : IDisposable
{
    public SocketConnection Connection { get; } = connection;

    public void Dispose() => socket.Dispose();
}

using CityArray.Gateway.Infrastructure.WebSockets;

namespace CityArray.Gateway.Dashboards;

/// <summary>
/// One dashboard socket as the hub sees it. Until its <c>all_signs</c> snapshot is queued, events are held back,
/// then they follow it in order. A held event may already be in the snapshot (the page applies it again) or even
/// older than it (the newer event is on its way to this gateway and follows): the page always ends on the latest
/// state. Dropping held events by time instead once lost an update the snapshot had not taken yet.
/// </summary>
public sealed class DashboardSubscriber(SocketConnection connection)
{
    private readonly Lock _gate = new();
    private List<byte[]>? _held = [];

    public SocketConnection Connection { get; } = connection;

    public void Deliver(byte[] bytes)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(bytes);
                return;
            }
        }
        Connection.Send(bytes);
    }

    /// <summary>Sends the snapshot and then the events held back.</summary>
    public void Start(byte[] snapshot)
    {
        lock (_gate)
        {
            Connection.Send(snapshot);
            foreach (var bytes in _held!) Connection.Send(bytes);
            _held = null;
        }
    }
}

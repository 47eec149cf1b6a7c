using CityArray.Gateway.Infrastructure.WebSockets;

namespace CityArray.Gateway.Dashboards;

/// <summary>
/// One dashboard socket as the hub sees it. Until its <c>all_signs</c> snapshot is queued, events are held
/// back; those older than the snapshot are dropped (the snapshot already shows them), the rest follow it.
/// </summary>
public sealed class DashboardSubscriber(SocketConnection connection)
{
    private readonly Lock _gate = new();
    private List<(DateTimeOffset At, byte[] Bytes)>? _held = [];

    public SocketConnection Connection { get; } = connection;

    public void Deliver(DateTimeOffset at, byte[] bytes)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add((at, bytes));
                return;
            }
        }
        Connection.Send(bytes);
    }

    /// <summary>Sends the snapshot taken at <paramref name="takenAt"/> and then the events held back that are newer.</summary>
    public void Start(byte[] snapshot, DateTimeOffset takenAt)
    {
        lock (_gate)
        {
            Connection.Send(snapshot);
            foreach (var (at, bytes) in _held!)
                if (at >= takenAt) Connection.Send(bytes);
            _held = null;
        }
    }
}

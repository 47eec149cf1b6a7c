using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// Every open WebSocket of this gateway. When the host begins to stop (SIGTERM), each gets a close with 1001
/// (going away) at once, so signs, dashboards and users reconnect to another gateway instead of waiting for
/// the process to vanish.
/// </summary>
public sealed class OpenSockets : IHostedService
{
    private readonly ConcurrentDictionary<string, SocketConnection> _open = new();
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<OpenSockets> _logger;
    private CancellationTokenRegistration _registration;

    public OpenSockets(IHostApplicationLifetime lifetime, ILogger<OpenSockets> logger)
    {
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>How many sockets are open now.</summary>
    public int Count => _open.Count;

    /// <summary>Tracks a connection until <see cref="Remove"/>; a connection opened while stopping is closed at once.</summary>
    public void Add(SocketConnection connection)
    {
        _open[connection.Id] = connection;
        CityArrayMetrics.Connections.Add(1, new KeyValuePair<string, object?>("kind", connection.Kind));
        if (_lifetime.ApplicationStopping.IsCancellationRequested) connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    /// <summary>Stops tracking a connection (its request ended).</summary>
    public void Remove(SocketConnection connection)
    {
        if (_open.TryRemove(connection.Id, out _)) CityArrayMetrics.Connections.Add(-1, new KeyValuePair<string, object?>("kind", connection.Kind));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = _lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        CloseAll();
        return Task.CompletedTask;
    }

    private void CloseAll()
    {
        var open = _open.Values.ToArray();
        if (open.Length > 0) _logger.LogInformation("Shutting down: closing {Count} sockets with 1001", open.Length);
        foreach (var connection in open) connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }
}

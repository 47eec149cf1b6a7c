using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CityArray.Bench.Shared;

/// <summary>
/// The socket baseline: a minimal raw Kestrel WebSocket hub that accepts <c>/ws/sign/{id}</c>, counts the
/// frames signs send (heartbeats, acks) and can broadcast one frame to every connected sign. No grains, no
/// storage, no per-sign queue: the floor CityArray's own gateway is compared with.
/// </summary>
public sealed class RawHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new();
    private WebApplication? _app;
    private long _framesReceived;
    private long _acksReceived;

    /// <summary>The hub's base address (http://127.0.0.1:port) once started.</summary>
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1");

    /// <summary>Signs connected now.</summary>
    public int ConnectedCount => _connections.Count;

    /// <summary>Frames received from signs so far.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Acks received from signs so far.</summary>
    public long AcksReceived => Interlocked.Read(ref _acksReceived);

    /// <summary>
    /// When set, every frame from a connection whose id does not start with this prefix is relayed to every
    /// connection whose id does, as <c>{"type":"sign_update","sign_id":"...","raw":&lt;frame&gt;}</c> (the baseline
    /// of "heartbeat reaches the dashboards").
    /// </summary>
    public string? RelayPrefix { get; set; }

    /// <summary>Raised for every frame a sign sends (sign id, frame); keep it short.</summary>
    public event Action<string, ReadOnlyMemory<byte>>? FrameReceived;

    /// <summary>Starts listening on 127.0.0.1 (port 0 picks a free port).</summary>
    public async Task StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.MaxConcurrentUpgradedConnections = null;
        });
        _app = builder.Build();
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        _app.Map("/ws/sign/{id}", HandleAsync);
        _app.MapGet("/health", () => "ok");
        // The fan-out baseline's control: an override frame with this id to every connected sign (answers how many sends succeeded).
        _app.MapPost("/broadcast/{id}", async (string id) => await BroadcastAsync(System.Text.Encoding.UTF8.GetBytes(
            $"{{\"type\":\"override\",\"override_id\":{System.Text.Json.JsonSerializer.Serialize(id)},\"text\":\"Evacuate via the north gate\"}}")).ConfigureAwait(false));
        _app.MapGet("/connected", () => ConnectedCount);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Urls.First();
        BaseUri = new Uri(address);
    }

    /// <summary>Waits until <paramref name="count"/> signs are connected (or the timeout passes); true when reached.</summary>
    public async Task<bool> WaitForConnectionsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (ConnectedCount < count)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Sends one text frame to every connected sign; returns how many sends succeeded.</summary>
    public async Task<int> BroadcastAsync(ReadOnlyMemory<byte> utf8Frame)
    {
        var sends = _connections.Values.Select(c => c.SendAsync(utf8Frame)).ToArray();
        var results = await Task.WhenAll(sends).ConfigureAwait(false);
        return results.Count(ok => ok);
    }

    /// <summary>Sends one text frame to one sign; false when it is not connected.</summary>
    public Task<bool> SendAsync(string signId, ReadOnlyMemory<byte> utf8Frame) =>
        _connections.TryGetValue(signId, out var c) ? c.SendAsync(utf8Frame) : Task.FromResult(false);

    private async Task RelayAsync(string prefix, string id, ReadOnlyMemory<byte> frame)
    {
        var head = System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"sign_update\",\"sign_id\":{System.Text.Json.JsonSerializer.Serialize(id)},\"raw\":");
        var relayed = new byte[head.Length + frame.Length + 1];
        head.CopyTo(relayed, 0);
        frame.Span.CopyTo(relayed.AsSpan(head.Length));
        relayed[^1] = (byte)'}';
        foreach (var (key, c) in _connections)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) await c.SendAsync(relayed).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context, string id)
    {
        if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new Connection(socket);
        _connections[id] = connection;
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (!result.EndOfMessage) continue; // frames from signs are small; longer ones are counted once
                Interlocked.Increment(ref _framesReceived);
                var frame = buffer.AsMemory(0, result.Count);
                if (frame.Span.IndexOf("\"ack\""u8) >= 0) Interlocked.Increment(ref _acksReceived);
                FrameReceived?.Invoke(id, frame);
                if (RelayPrefix is { } prefix && !id.StartsWith(prefix, StringComparison.Ordinal)) await RelayAsync(prefix, id, frame).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            _connections.TryRemove(new KeyValuePair<string, Connection>(id, connection));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        foreach (var c in _connections.Values) c.Abort();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Connection(WebSocket socket)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);

        public async Task<bool> SendAsync(ReadOnlyMemory<byte> frame)
        {
            await _lock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (socket.State != WebSocketState.Open) return false;
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
            finally
            {
                _lock.Release();
            }
        }

        public void Abort() => socket.Abort();
    }
}

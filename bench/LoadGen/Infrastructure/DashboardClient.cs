using CityArray.Bench.Shared;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>
/// A dashboard: CityArray's <c>/ws/dashboard</c> (reports each <c>sign_update</c>'s sign id and crowd_count), or,
/// for the raw hub, a relay connection (reports the relayed heartbeat's sign id and crowd_count).
/// </summary>
public sealed class DashboardClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket _socket = new();
    private Uri? _uri;
    private Task? _loop;

    /// <summary>How many times the server closed or dropped this dashboard (it reconnects each time).</summary>
    public long Drops;

    /// <summary>
    /// Raised with (sign id, crowd_count, receive timestamp, the server's event time when it says one) for every sign
    /// update; the raw hub relays frames without a time.
    /// </summary>
    public event Action<string, int, long, DateTimeOffset?>? SignUpdate;

    public long Frames;

    public async Task ConnectAsync(Uri socketUri)
    {
        _uri = socketUri;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(socketUri, CancellationToken.None);
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try { await ReceiveLoopAsync(); } catch (Exception) { }
            if (_stop.IsCancellationRequested) return;
            Interlocked.Increment(ref Drops);
            _socket.Dispose();
            _socket = new ClientWebSocket();
            _socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try { await _socket.ConnectAsync(_uri!, _stop.Token); } catch (Exception) { await Task.Delay(500); }
        }
    }

    private Task ReceiveLoopAsync() =>
        FrameReceiver.ReceiveAsync(_socket, 1 << 20, frame =>
        {
            var ts = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref Frames);
            Parse(frame.Span, ts);
            return ValueTask.CompletedTask;
        }, _stop.Token);

    private void Parse(ReadOnlySpan<byte> frame, long ts)
    {
        if (frame.IndexOf("sign_update"u8) < 0) return;
        using var doc = JsonDocument.Parse(frame.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return;
        if (root.TryGetProperty("sign", out var sign) && sign.ValueKind == JsonValueKind.Object)
        {
            // CityArray: {"type":"sign_update","sign":{"id":..,"crowd_count":..}}
            if (sign.TryGetProperty("id", out var id) && sign.TryGetProperty("crowd_count", out var cc) && cc.ValueKind == JsonValueKind.Number)
                SignUpdate?.Invoke(id.GetString()!, cc.GetInt32(), ts,
                    root.TryGetProperty("timestamp", out var at) && at.TryGetDateTimeOffset(out var serverAt) ? serverAt : null);
        }
        else if (root.TryGetProperty("sign_id", out var sid) && root.TryGetProperty("raw", out var raw) &&
                 raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("data", out var data) &&
                 data.ValueKind == JsonValueKind.Object && data.TryGetProperty("crowd_count", out var count) && count.ValueKind == JsonValueKind.Number)
        {
            SignUpdate?.Invoke(sid.GetString()!, count.GetInt32(), ts, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _socket.Abort();
        if (_loop is not null) { try { await _loop; } catch (Exception) { } }
        _socket.Dispose();
    }
}

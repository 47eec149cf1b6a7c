using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CityArray.Bench.Shared;

/// <summary>
/// The reference sign client: connects to <c>/ws/sign/{id}</c>, sends heartbeats (and optionally metrics)
/// at an interval, acks every <c>new_message</c> and <c>override</c>, reconnects with jittered exponential
/// backoff and records when each message id was first received.
/// </summary>
public sealed class SignClient : IAsyncDisposable
{
    private static readonly byte[] MetricsFrame =
        Encoding.UTF8.GetBytes("{\"type\":\"metrics\",\"data\":{\"crowd_count\":120,\"impressions\":3400}}");

    private readonly SignClientOptions _options;
    private readonly SignFleetCounters _counters;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _pauseGate = new();
    private TaskCompletionSource _resume = CreateResumed();
    private ClientWebSocket? _socket;
    private Task? _run;
    private int _heartbeatSeq;
    private int _connected;

    public SignClient(SignClientOptions options)
    {
        _options = options;
        _counters = options.Counters ?? new SignFleetCounters();
    }

    /// <summary>The sign id.</summary>
    public string SignId => _options.SignId;

    /// <summary>Whether the socket is open now.</summary>
    public bool IsConnected => Volatile.Read(ref _connected) == 1;

    /// <summary>How many times the socket was opened (1 + reconnects).</summary>
    public int ConnectCount { get; private set; }

    /// <summary>Message/override id -> <see cref="Stopwatch.GetTimestamp"/> of its first receipt.</summary>
    public ConcurrentDictionary<string, long> ReceivedAt { get; } = new();

    /// <summary>Raised for every frame received (on the receive loop: keep it short).</summary>
    public event Action<ReceivedMessage>? Received;

    /// <summary>Raised after each successful (re)connect.</summary>
    public event Action<SignClient>? Connected;

    /// <summary>Raised just before a heartbeat is sent: (client, crowd_count used as sequence number, timestamp).</summary>
    public event Action<SignClient, int, long>? HeartbeatSent;

    /// <summary>Connects (waits for the first connection) and starts heartbeats and the receive loop.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _run = Task.Run(() => RunAsync(first));
        using var reg = cancellationToken.Register(() => first.TrySetCanceled());
        await first.Task.ConfigureAwait(false);
    }

    /// <summary>Stops reading from the socket (a "slow sign"); the server's queue for it fills up.</summary>
    public void PauseReading()
    {
        lock (_pauseGate) if (_resume.Task.IsCompleted) _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Resumes reading after <see cref="PauseReading"/>.</summary>
    public void ResumeReading()
    {
        lock (_pauseGate) _resume.TrySetResult();
    }

    /// <summary>Sends one heartbeat now; <c>crowd_count</c> carries a per-client sequence number (0..99,999) unless
    /// <see cref="SignClientOptions.SequenceInCrowdCount"/> is off.</summary>
    public async Task<bool> SendHeartbeatAsync()
    {
        var seq = Interlocked.Increment(ref _heartbeatSeq) % 100_000;
        var frame = Encoding.UTF8.GetBytes(
            $"{{\"type\":\"heartbeat\",\"data\":{{\"battery\":85,\"signal_strength\":-65,\"crowd_density\":\"low\",\"crowd_count\":{(_options.SequenceInCrowdCount ? seq : 42)}}}}}");
        if (_socket is not { State: WebSocketState.Open }) return false;
        // Raised before the send, so a receiver that sees the heartbeat can always find when it was sent.
        HeartbeatSent?.Invoke(this, seq, Stopwatch.GetTimestamp());
        if (!await SendAsync(frame).ConfigureAwait(false)) return false;
        Interlocked.Increment(ref _counters.HeartbeatsSent);
        return true;
    }

    /// <summary>Sends a raw text frame; false if the socket is not open.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> utf8Frame)
    {
        var socket = _socket;
        if (socket is null || socket.State != WebSocketState.Open) return false;
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await socket.SendAsync(utf8Frame, WebSocketMessageType.Text, true, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (!_stop.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Aborts the current socket without a close handshake (simulates a dropped network); it reconnects if enabled.</summary>
    public void Abort() => _socket?.Abort();

    private async Task RunAsync(TaskCompletionSource first)
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try
            {
                await socket.ConnectAsync(_options.SocketUri, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                socket.Dispose();
                Interlocked.Increment(ref _counters.ConnectFailures);
                if (_stop.IsCancellationRequested) break;
                if (!_options.Reconnect) { first.TrySetException(ex); return; }
                await DelayAsync(attempt++).ConfigureAwait(false);
                continue;
            }

            attempt = 0;
            _socket = socket;
            ConnectCount++;
            Volatile.Write(ref _connected, 1);
            Interlocked.Increment(ref _counters.Connects);
            Interlocked.Increment(ref _counters.Open);
            Connected?.Invoke(this);
            first.TrySetResult();

            using var connectionStop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var beats = _options.HeartbeatInterval > TimeSpan.Zero
                ? PeriodicAsync(_options.HeartbeatInterval, SendHeartbeatAsync, connectionStop.Token)
                : Task.CompletedTask;
            var metrics = _options.MetricsInterval > TimeSpan.Zero
                ? PeriodicAsync(_options.MetricsInterval, SendMetricsAsync, connectionStop.Token)
                : Task.CompletedTask;
            try
            {
                await ReceiveLoopAsync(socket).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // connection lost: fall through to reconnect
            }
            finally
            {
                Volatile.Write(ref _connected, 0);
                Interlocked.Decrement(ref _counters.Open);
                Interlocked.Increment(ref _counters.Disconnects);
                connectionStop.Cancel();
                try { await Task.WhenAll(beats, metrics).ConfigureAwait(false); } catch (OperationCanceledException) { }
                socket.Dispose();
            }

            if (!_options.Reconnect || _stop.IsCancellationRequested) break;
            await DelayAsync(attempt++).ConfigureAwait(false);
        }
        first.TrySetCanceled();
    }

    private async Task<bool> SendMetricsAsync()
    {
        if (!await SendAsync(MetricsFrame).ConfigureAwait(false)) return false;
        Interlocked.Increment(ref _counters.MetricsSent);
        return true;
    }

    private static async Task PeriodicAsync(TimeSpan period, Func<Task<bool>> action, CancellationToken token)
    {
        // Spread the first tick over one period so a fleet does not beat in lockstep.
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * period.TotalMilliseconds), token).ConfigureAwait(false);
            using var timer = new PeriodicTimer(period);
            do { await action().ConfigureAwait(false); }
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) { }
    }

    private async Task DelayAsync(int attempt)
    {
        // Full jitter: uniform in [0, min(max, min * 2^attempt)].
        var cap = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds,
            _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
        try { await Task.Delay(delay, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
    }

    private Task ReceiveLoopAsync(ClientWebSocket socket) =>
        FrameReceiver.ReceiveAsync(socket, 4096, frame => new ValueTask(HandleFrameAsync(frame)), _stop.Token, async () =>
        {
            Task resume;
            lock (_pauseGate) resume = _resume.Task;
            if (!resume.IsCompleted) await resume.WaitAsync(_stop.Token).ConfigureAwait(false);
        });

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame)
    {
        var ts = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _counters.MessagesReceived);
        var (type, id) = ReadTypeAndId(frame.Span);
        if (type == "error") Interlocked.Increment(ref _counters.Errors);
        if (id is not null && _options.RecordReceipts) ReceivedAt.TryAdd(id, ts);
        Received?.Invoke(new ReceivedMessage(SignId, type ?? "", id, ts, DateTimeOffset.UtcNow, frame));

        if (_options.Ack && id is not null && type is "new_message" or "override")
        {
            var ack = Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"message_id\":{JsonSerializer.Serialize(id)}}}");
            if (await SendAsync(ack).ConfigureAwait(false)) Interlocked.Increment(ref _counters.AcksSent);
        }
        else if (type is "request_status" or "ping" && _options.HeartbeatInterval > TimeSpan.Zero)
        {
            await SendHeartbeatAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads the top-level <c>type</c> and the first of <c>message_id</c>/<c>override_id</c>/<c>id</c>.</summary>
    public static (string? Type, string? Id) ReadTypeAndId(ReadOnlySpan<byte> json)
    {
        string? type = null, id = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isId = reader.ValueTextEquals("message_id"u8) || reader.ValueTextEquals("override_id"u8) || reader.ValueTextEquals("id"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (isType) type = reader.GetString();
                    else if (isId) id ??= reader.GetString();
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
        }
        return (type, id);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        ResumeReading();
        var socket = _socket;
        if (socket is not null && socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token).ConfigureAwait(false);
            }
            catch (Exception) { }
        }
        socket?.Abort();
        if (_run is not null) { try { await _run.ConfigureAwait(false); } catch (Exception) { } }
        _stop.Dispose();
    }

    private static TaskCompletionSource CreateResumed()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}

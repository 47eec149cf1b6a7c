using System.Buffers;
using System.Net.WebSockets;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// One accepted WebSocket: a bounded outgoing queue drained by a single sender (a slow client is disconnected instead
/// of stalling broadcasts), and a receive loop that enforces the frame size limit and a per-connection message rate.
/// An idle connection holds no queue, sender or cancellation source: a sender runs only while there is something to
/// send, and the queue exists only while messages wait behind a send in flight (10,000 idle signs per gateway).
/// Disposed when its request ends (<see cref="SocketAcceptor"/>): the socket is released and untracked.
/// </summary>
public sealed class SocketConnection : IDisposable
{
    /// <summary>Custom close status: a newer connection of the same client took over.</summary>
    public const WebSocketCloseStatus Replaced = (WebSocketCloseStatus)4001;

    /// <summary>How long a closing connection waits for the client's answer to its close before dropping the socket.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly SocketLimits _limits;
    private readonly ILogger _logger;
    private readonly TokenBucket _rate;
    private readonly Lock _gate = new();
    private readonly Action<SocketConnection>? _released;
    private ReadOnlyMemory<byte> _next;
    private bool _hasNext;
    private Queue<ReadOnlyMemory<byte>>? _waiting;
    private Task? _sender;
    private int _dropped;
    private long _queuedBytes;
    private int _disposed;
    private (WebSocketCloseStatus Status, string Reason)? _closeRequest;

    /// <param name="released">Told once when the connection is disposed (the acceptor's count and the open-socket registry).</param>
    public SocketConnection(WebSocket socket, SocketLimits limits, ILogger logger, Action<SocketConnection>? released = null)
    {
        _logger = logger;
        _socket = socket;
        _limits = limits;
        _released = released;
        _rate = new TokenBucket(limits.MessagesPerSecond, limits.MessageBurst);
    }

    /// <summary>A unique id of this connection.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>sign, dashboard or user: the <c>kind</c> tag of this connection's metrics.</summary>
    public string Kind { get; init; } = "other";

    private KeyValuePair<string, object?> KindTag => new("kind", Kind);

    /// <summary>
    /// Queues a JSON message; a client whose queue is full (in messages or in bytes) is too slow and gets disconnected.
    /// A message that finds the queue empty is taken whatever its size (a dashboard's <c>all_signs</c> for a large fleet
    /// is bigger than the byte cap and says nothing about the client's speed; the send timeout still bounds it).
    /// False once the connection is closing (the message is not sent) or when the client was too slow.
    /// </summary>
    public bool Send(ReadOnlyMemory<byte> utf8Json)
    {
        lock (_gate)
        {
            if (_closeRequest is not null) return false;
            var waiting = Waiting;
            if (waiting > 0 && (waiting >= _limits.SendQueueCapacity || _queuedBytes + utf8Json.Length > _limits.SendQueueBytes))
            {
                // Too slow: what is still queued is dropped and the close goes out next, not after the backlog.
                (_waiting, _next, _hasNext, _queuedBytes) = (null, default, false, 0);
                RequestClose(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue full");
                return false;
            }
            _queuedBytes += utf8Json.Length;
            if (!_hasNext) (_next, _hasNext) = (utf8Json, true);
            else (_waiting ??= new Queue<ReadOnlyMemory<byte>>()).Enqueue(utf8Json);
            _sender ??= SendQueuedAsync();
            return true;
        }
    }

    /// <summary>Serializes and queues a message.</summary>
    public bool SendJson<T>(T message) => Send(JsonWire.ToUtf8(message));

    /// <summary>Sends a contract <c>error</c> message; the connection stays open.</summary>
    public bool SendError(string code, string message, string? inReplyTo) =>
        SendJson(new ErrorMessage(code, message, inReplyTo));

    /// <summary>Sends a validation or domain error as the contract's <c>error</c> message; the connection stays open.</summary>
    public bool SendError(Grains.Interfaces.Validation.RequestException error, string? inReplyTo) =>
        SendJson(ErrorMessage.From(error, inReplyTo));

    /// <summary>Asks the connection to close with a status and reason once queued messages are sent.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        lock (_gate) RequestClose(status, reason);
    }

    /// <summary>Refuses the connection: an <c>error</c> message, then a close with 1008 and the reason.</summary>
    public Task RefuseAsync(string code, string reason)
    {
        SendError(code, reason, null);
        Close(WebSocketCloseStatus.PolicyViolation, reason);
        return RunAsync(_ => Task.CompletedTask);
    }

    /// <summary>
    /// Runs until the client or the server closes (or the connection drops): text messages go to
    /// <paramref name="onMessage"/> one at a time, in order. Returns once what was queued and the close went out.
    /// </summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, Task> onMessage)
    {
        // An idle socket holds no receive buffer: a zero-byte receive waits for the next message, which is then read
        // into a pooled buffer (a longer one borrows a larger pooled buffer) and handed on as a copy.
        var firstSize = Math.Min(_limits.IdleReceiveBytes, _limits.MaxMessageBytes + 1);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                byte[]? message;
                var buffer = ArrayPool<byte>.Shared.Rent(firstSize);
                try
                {
                    var length = 0;
                    while (!result.EndOfMessage && length <= _limits.MaxMessageBytes)
                    {
                        if (length == buffer.Length)
                        {
                            var larger = ArrayPool<byte>.Shared.Rent(_limits.MaxMessageBytes + 1);
                            buffer.AsSpan(0, length).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }
                        result = await _socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, _limits.MaxMessageBytes + 1) - length), CancellationToken.None);
                        if (result.MessageType == WebSocketMessageType.Close) break;
                        length += result.Count;
                    }
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    if (length > _limits.MaxMessageBytes)
                    {
                        Close(WebSocketCloseStatus.MessageTooBig, $"message larger than {_limits.MaxMessageBytes} bytes");
                        break;
                    }
                    message = Admit(result.MessageType, buffer.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (message is null)
                {
                    if (IsClosing) break; // closed for flooding
                    continue;
                }
                try
                {
                    await onMessage(message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failure behind the socket (a grain call timing out, storage unavailable) costs this message,
                    // not the connection; the client is told so it can retry.
                    _logger.LogWarning(e, "Could not handle a message on connection {ConnectionId}", Id);
                    SendError("server_error", "the server could not handle this message right now; try again",
                        IncomingMessage.TryParse(message, out _)?.Type);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        catch (ObjectDisposedException) { }
        // The client closed, or the server asked to: what is queued goes out, then the close (or its answer).
        Task? sender;
        lock (_gate)
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, "closing");
            sender = _sender;
        }
        if (sender is not null) await sender;
    }

    /// <summary>Releases the socket and stops tracking the connection; safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _socket.Dispose();
        _released?.Invoke(this);
    }

    private bool IsClosing
    {
        get { lock (_gate) return _closeRequest is not null; }
    }

    private int Waiting => (_hasNext ? 1 : 0) + (_waiting?.Count ?? 0);

    /// <summary>Records the first close asked for and makes sure a sender runs to send it. Called holding <see cref="_gate"/>.</summary>
    private void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (_closeRequest is not null) return;
        // A close reason may hold at most 123 UTF-8 bytes.
        if (System.Text.Encoding.UTF8.GetByteCount(reason) > 120) reason = reason[..Math.Min(reason.Length, 40)] + "...";
        _closeRequest = (status, reason);
        _sender ??= SendQueuedAsync();
    }

    /// <summary>
    /// The message as its handler gets it (a copy: the handler may keep it), or null when it is refused here: over the
    /// rate (an error, or the connection closed for flooding) or binary (an error).
    /// </summary>
    private byte[]? Admit(WebSocketMessageType type, ReadOnlySpan<byte> received)
    {
        if (!_rate.TryTake())
        {
            if (++_dropped > _limits.MessageBurst)
            {
                Close(WebSocketCloseStatus.PolicyViolation, "flooding: too many messages");
                return null;
            }
            SendError("rate_limited", $"more than {_limits.MessagesPerSecond} messages per second; this message was dropped", null);
            return null;
        }
        _dropped = 0;
        CityArrayMetrics.FramesIn.Add(1, KindTag);
        if (type == WebSocketMessageType.Binary)
        {
            SendError("unsupported_frame", "send JSON text frames", null);
            return null;
        }
        return received.ToArray();
    }

    /// <summary>The next message to send, or false when nothing waits (the sender then stops, unless a close is due).</summary>
    private bool TryTakeNext(out ReadOnlyMemory<byte> message, out (WebSocketCloseStatus Status, string Reason)? close)
    {
        lock (_gate)
        {
            close = _closeRequest;
            if (_hasNext)
            {
                message = _next;
                _hasNext = _waiting?.TryDequeue(out _next) == true;
                if (!_hasNext) (_next, _waiting) = (default, null);
                _queuedBytes -= message.Length;
                return true;
            }
            message = default;
            if (close is null) _sender = null; // idle again: the next Send starts a sender
            return false;
        }
    }

    /// <summary>
    /// Sends what is queued, in order, on the thread pool (never on the caller's thread: a broadcast to 10,000 sockets
    /// only queues), then the close when one was asked for. Ends when nothing is left to send.
    /// </summary>
    private async Task SendQueuedAsync()
    {
        await Task.Yield();
        using var timeout = new CancellationTokenSource();
        try
        {
            (WebSocketCloseStatus Status, string Reason)? close;
            while (TryTakeNext(out var message, out close))
            {
                if (_socket.State != WebSocketState.Open) continue; // dropped: the client can no longer get it
                timeout.CancelAfter(_limits.SendTimeout);
                await _socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token);
                if (!timeout.TryReset()) throw new OperationCanceledException();
                CityArrayMetrics.FramesOut.Add(1, KindTag);
            }
            if (close is not { } request) return;
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                timeout.CancelAfter(_limits.SendTimeout);
                await _socket.CloseOutputAsync(request.Status, request.Reason, timeout.Token);
            }
            if (_socket.State == WebSocketState.CloseSent) _ = AbortUnansweredCloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    /// <summary>Gives the client a moment to answer the close handshake, then drops the socket (its receive loop ends).</summary>
    private async Task AbortUnansweredCloseAsync()
    {
        await Task.Delay(CloseHandshakeTimeout);
        if (_socket.State == WebSocketState.CloseSent) _socket.Abort();
    }
}

using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>
/// One accepted WebSocket: a bounded outgoing queue drained by a single writer (a slow client is
/// disconnected instead of stalling broadcasts), and a receive loop that enforces the frame size limit
/// and a per-connection message rate.
/// </summary>
public sealed class SocketConnection
{
    /// <summary>Custom close status: a newer connection of the same client took over.</summary>
    public const WebSocketCloseStatus Replaced = (WebSocketCloseStatus)4001;

    private readonly WebSocket _socket;
    private readonly SocketLimits _limits;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _outgoing;
    private readonly CancellationTokenSource _closing = new();
    private readonly TokenBucket _rate;
    private int _dropped;
    private long _queuedBytes;
    private volatile bool _abandonQueue;
    private (WebSocketCloseStatus Status, string Reason)? _closeRequest;

    public SocketConnection(WebSocket socket, SocketLimits limits, ILogger logger)
    {
        _logger = logger;
        _socket = socket;
        _limits = limits;
        _rate = new TokenBucket(limits.MessagesPerSecond, limits.MessageBurst);
        _outgoing = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(limits.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>A unique id of this connection.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>sign, dashboard or user: the <c>kind</c> tag of this connection's metrics.</summary>
    public string Kind { get; init; } = "other";

    private KeyValuePair<string, object?> KindTag => new("kind", Kind);

    /// <summary>Cancelled when the connection is closing for any reason.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Bytes queued for this client and not yet sent.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>
    /// Queues a JSON message; a client whose queue is full (in messages or in bytes) is too slow and gets disconnected.
    /// A message that finds the queue empty is taken whatever its size (a dashboard's <c>all_signs</c> for a large fleet
    /// is bigger than the byte cap and says nothing about the client's speed; the send timeout still bounds it).
    /// </summary>
    public bool Send(ReadOnlyMemory<byte> utf8Json)
    {
        var queued = Interlocked.Add(ref _queuedBytes, utf8Json.Length);
        if ((queued <= _limits.SendQueueBytes || queued == utf8Json.Length) && _outgoing.Writer.TryWrite(utf8Json)) return true;
        Interlocked.Add(ref _queuedBytes, -utf8Json.Length);
        // Too slow: what is still queued is dropped and the close goes out next, not after the backlog.
        _abandonQueue = true;
        Close(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue full");
        return false;
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
        // A close reason may hold at most 123 UTF-8 bytes.
        if (System.Text.Encoding.UTF8.GetByteCount(reason) > 120) reason = reason[..Math.Min(reason.Length, 40)] + "...";
        _closeRequest ??= (status, reason);
        _outgoing.Writer.TryComplete();
    }

    /// <summary>Refuses the connection: an <c>error</c> message, then a close with 1008 and the reason.</summary>
    public Task RefuseAsync(string code, string reason, CancellationToken stopping)
    {
        SendError(code, reason, null);
        Close(WebSocketCloseStatus.PolicyViolation, reason);
        return RunAsync(_ => Task.CompletedTask, stopping);
    }

    /// <summary>
    /// Runs until the client or the server closes: text messages go to <paramref name="onMessage"/>
    /// one at a time, in order.
    /// </summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, Task> onMessage, CancellationToken stopping)
    {
        // The request ending closes the connection: one registration, not a linked source (one fewer object per socket held).
        await using var stop = stopping.UnsafeRegister(static closing => ((CancellationTokenSource)closing!).Cancel(), _closing);
        var writer = WriteLoopAsync();
        try
        {
            await ReceiveLoopAsync(onMessage, _closing.Token);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        finally
        {
            _outgoing.Writer.TryComplete();
            await writer;
            _closing.Cancel();
        }
    }

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, Task> onMessage, CancellationToken ct)
    {
        // An idle socket holds no receive buffer: a zero-byte receive waits for the next message, which is then read
        // into a pooled buffer (a longer one borrows a larger pooled buffer) and handed on as a copy.
        var firstSize = Math.Min(_limits.IdleReceiveBytes, _limits.MaxMessageBytes + 1);
        while (_socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
        {
            var result = await _socket.ReceiveAsync(Memory<byte>.Empty, ct);
            if (result.MessageType == WebSocketMessageType.Close) return;
            byte[]? message;
            var buffer = ArrayPool<byte>.Shared.Rent(firstSize);
            try
            {
                var length = 0;
                while (!result.EndOfMessage)
                {
                    if (length > _limits.MaxMessageBytes)
                    {
                        Close(WebSocketCloseStatus.MessageTooBig, $"message larger than {_limits.MaxMessageBytes} bytes");
                        return;
                    }
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(_limits.MaxMessageBytes + 1);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length, Math.Min(buffer.Length, _limits.MaxMessageBytes + 1) - length), ct);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    length += result.Count;
                }
                if (length > _limits.MaxMessageBytes)
                {
                    Close(WebSocketCloseStatus.MessageTooBig, $"message larger than {_limits.MaxMessageBytes} bytes");
                    return;
                }
                message = Admit(result.MessageType, buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (message is null)
            {
                if (_closeRequest is not null) return; // closed for flooding
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

    /// <summary>Sends what is queued now; false once the socket is no longer open or its queue was abandoned (the rest is dropped).</summary>
    private async Task<bool> SendQueuedAsync()
    {
        while (_outgoing.Reader.TryRead(out var message))
        {
            Interlocked.Add(ref _queuedBytes, -message.Length);
            if (_socket.State != WebSocketState.Open || _abandonQueue) return false;
            using var timeout = new CancellationTokenSource(_limits.SendTimeout);
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token);
            CityArrayMetrics.FramesOut.Add(1, KindTag);
        }
        return true;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            // WaitToRead/TryRead rather than ReadAllAsync: an idle socket holds no async enumerator (two objects per socket).
            while (await _outgoing.Reader.WaitToReadAsync() && await SendQueuedAsync()) { }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var (status, reason) = _closeRequest ?? (WebSocketCloseStatus.NormalClosure, "closing");
                using var timeout = new CancellationTokenSource(_limits.SendTimeout);
                await _socket.CloseOutputAsync(status, reason, timeout.Token);
                // Give the client a moment to answer the close handshake before the receive loop is cancelled.
                _closing.CancelAfter(TimeSpan.FromSeconds(2));
                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        _closing.Cancel();
    }
}

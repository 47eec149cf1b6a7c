using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace CityArray.Tests.Infrastructure;

/// <summary>A real WebSocket client for tests: sends JSON, and waits for the messages it expects.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _inbox = Channel.CreateUnbounded<JsonElement>();
    private Task? _receiver;
    private int _bufferSize = 16 * 1024;
    private readonly System.Diagnostics.Stopwatch _sinceConnect = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<TimeSpan> _receivedAt = [];

    private readonly List<JsonElement> _history = [];

    /// <summary>
    /// A copy of every message received so far, in order (including those already taken by Receive); safe to enumerate
    /// while the receive loop goes on.
    /// </summary>
    public IReadOnlyList<JsonElement> History
    {
        get { lock (_history) return _history.ToArray(); }
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseDescription => _socket.CloseStatusDescription;
    public WebSocketState State => _socket.State;

    /// <summary>Set when the server closed the socket.</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Connects; the receive buffer starts at <paramref name="receiveBufferSize"/> and grows for larger messages.</summary>
    public static async Task<WsClient> ConnectAsync(Uri uri, int receiveBufferSize = 16 * 1024)
    {
        var client = new WsClient { _bufferSize = receiveBufferSize };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client._socket.ConnectAsync(uri, timeout.Token);
        client._receiver = client.ReceiveLoopAsync();
        return client;
    }

    public Task SendJsonAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type) =>
        _socket.SendAsync(bytes, type, true, CancellationToken.None);

    /// <summary>Waits for the next message of <paramref name="type"/> that matches, skipping others; fails after the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(cts.Token);
                if (message.GetProperty("type").GetString() == type && (match is null || match(message))) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{type}' message within {timeout ?? TimeSpan.FromSeconds(10)}; received (s after connect): " +
                                       ReceivedSoFar() + $"; now {_sinceConnect.Elapsed.TotalSeconds:0.0}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"socket closed ({CloseStatus} {CloseDescription}) before a '{type}' message arrived");
        }
    }

    /// <summary>Each message's type and when it arrived (seconds after connect), for failure messages.</summary>
    private string ReceivedSoFar()
    {
        lock (_history)
            return string.Join(", ", _history.Select((h, i) => $"{h.GetProperty("type").GetString()}@{_receivedAt[i].TotalSeconds:0.0}"));
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public Task WaitClosedAsync(TimeSpan? timeout = null) => Closed.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    private async Task ReceiveLoopAsync()
    {
        // Starts small and grows, so a test can hold a thousand sockets without a megabyte each.
        var buffer = new byte[_bufferSize];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) break;
                var element = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                lock (_history)
                {
                    _history.Add(element);
                    _receivedAt.Add(_sinceConnect.Elapsed);
                }
                _inbox.Writer.TryWrite(element);
            }
        }
        catch (WebSocketException) { }
        finally
        {
            _inbox.Writer.TryComplete();
            Closed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
        }
        catch (Exception) { }
        _socket.Dispose();
        if (_receiver is not null) await _receiver.WaitAsync(TimeSpan.FromSeconds(3)).ContinueWith(_ => { });
    }
}

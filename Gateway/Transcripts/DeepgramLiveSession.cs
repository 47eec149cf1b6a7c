using System.Net.WebSockets;

namespace CityArray.Gateway.Transcripts;

/// <summary>
/// One live transcription stream to Deepgram over <see cref="ClientWebSocket"/> (no SDK): audio frames go up as binary,
/// a <c>KeepAlive</c> goes up after <see cref="DeepgramOptions.KeepAlive"/> without audio, <c>Finalize</c> flushes,
/// and closing sends <c>CloseStream</c> and waits for the last results. When Deepgram drops the connection the session
/// reconnects with backoff (audio that arrives meanwhile is dropped) and gives up after
/// <see cref="DeepgramOptions.MaxReconnects"/> failures in a row.
/// </summary>
public sealed class DeepgramLiveSession : IAsyncDisposable
{
    private static readonly byte[] KeepAliveFrame = """{"type":"KeepAlive"}"""u8.ToArray();
    private static readonly byte[] FinalizeFrame = """{"type":"Finalize"}"""u8.ToArray();
    private static readonly byte[] CloseStreamFrame = """{"type":"CloseStream"}"""u8.ToArray();

    private readonly DeepgramOptions _options;
    private readonly Uri _uri;
    private readonly Func<DeepgramResult, Task> _onResult;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closedByUs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _supervisor;
    private Task? _keepAlive;
    private long _lastSendTicks = Environment.TickCount64;
    private volatile bool _closing;

    public DeepgramLiveSession(DeepgramOptions options, string language, string? encoding, int? sampleRate, Func<DeepgramResult, Task> onResult, ILogger logger)
    {
        _options = options;
        _onResult = onResult;
        _logger = logger;
        var query = $"model={Uri.EscapeDataString(options.Model)}&language={Uri.EscapeDataString(language)}&interim_results=true&punctuate=true&smart_format=true";
        if (encoding is not null) query += $"&encoding={Uri.EscapeDataString(encoding)}";
        if (sampleRate is not null) query += $"&sample_rate={sampleRate}";
        _uri = new UriBuilder(options.ApiUrl) { Query = query }.Uri;
    }

    /// <summary>Connections made to Deepgram (the first and every reconnection).</summary>
    public int Connections { get; private set; }

    /// <summary>Completes when the session has given up on Deepgram (with the reason).</summary>
    public TaskCompletionSource<string> Failed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start()
    {
        _supervisor = Task.Run(SuperviseAsync);
        _keepAlive = Task.Run(KeepAliveAsync);
    }

    /// <summary>Sends one audio frame (or part of one); dropped while reconnecting.</summary>
    public Task SendAudioAsync(ReadOnlyMemory<byte> audio, bool endOfMessage) => SendAsync(audio, WebSocketMessageType.Binary, endOfMessage);

    /// <summary>Asks Deepgram to finish the current utterance now.</summary>
    public Task FinalizeAsync() => SendAsync(FinalizeFrame, WebSocketMessageType.Text, true);

    /// <summary>Sends CloseStream and waits (a few seconds at most) for Deepgram's last results and its close.</summary>
    public async Task CloseAsync()
    {
        if (_closing) return;
        _closing = true;
        await SendAsync(FinalizeFrame, WebSocketMessageType.Text, true);
        await SendAsync(CloseStreamFrame, WebSocketMessageType.Text, true);
        _closedByUs.TrySetResult();
        try
        {
            if (_supervisor is not null) await _supervisor.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            _logger.LogInformation("Deepgram did not close in time; closing the stream ourselves");
        }
        await _stop.CancelAsync();
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, bool endOfMessage)
    {
        if (_socket is null && !_stop.IsCancellationRequested)
        {
            // Connecting or reconnecting: wait a little (back-pressure on the creator's socket), then drop the frame.
            try
            {
                await _connected.Task.WaitAsync(TimeSpan.FromSeconds(2), _stop.Token);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return;
            }
        }
        if (_socket is not { State: WebSocketState.Open } socket) return;
        await _send.WaitAsync();
        try
        {
            if (socket.State == WebSocketState.Open) await socket.SendAsync(bytes, type, endOfMessage, _stop.Token);
            Interlocked.Exchange(ref _lastSendTicks, Environment.TickCount64);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop sees the broken connection and reconnects.
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task SuperviseAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"Token {_options.ApiKey}");
            try
            {
                await socket.ConnectAsync(_uri, _stop.Token);
                Connections++;
                _socket = socket;
                _connected.TrySetResult();
                if (await ReceiveAsync(socket)) failures = 0;
                if (_closing) return;
                _logger.LogWarning("Deepgram closed the stream ({Status}); reconnecting", socket.CloseStatus);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                if (_closing || _stop.IsCancellationRequested) return;
                _logger.LogWarning("Deepgram stream failed: {Error}; reconnecting", e.Message);
            }
            finally
            {
                _socket = null;
                if (_connected.Task.IsCompleted) _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
                socket.Dispose();
            }
            if (++failures > _options.MaxReconnects)
            {
                Failed.TrySetResult($"Deepgram unreachable after {_options.MaxReconnects} reconnections");
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, failures - 1)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads results until the socket closes; true if at least one result arrived.</summary>
    private async Task<bool> ReceiveAsync(ClientWebSocket socket)
    {
        var any = false;
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return any;
            }
            message.Write(buffer, 0, result.Count);
            if (message.Length > 1024 * 1024) throw new WebSocketException("Deepgram message over 1 MB");
            if (!result.EndOfMessage) continue;
            if (result.MessageType == WebSocketMessageType.Text && DeepgramResult.Parse(message.GetBuffer().AsSpan(0, (int)message.Length)) is { } parsed)
            {
                any = true;
                try
                {
                    await _onResult(parsed);
                }
                catch (Exception e)
                {
                    _logger.LogWarning(e, "A transcript could not be stored or published");
                }
            }
            message.SetLength(0);
        }
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(200, _options.KeepAlive.TotalMilliseconds / 4)));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (_closing) return;
                if (Environment.TickCount64 - Interlocked.Read(ref _lastSendTicks) >= _options.KeepAlive.TotalMilliseconds)
                    await SendAsync(KeepAliveFrame, WebSocketMessageType.Text, true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _supervisor, _keepAlive })
        {
            if (task is null) continue;
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch
            {
                // Already logged or cancelled.
            }
        }
        _stop.Dispose();
        _send.Dispose();
    }
}

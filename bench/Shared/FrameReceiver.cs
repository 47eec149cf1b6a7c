using System.Buffers;
using System.Net.WebSockets;

namespace CityArray.Bench.Shared;

/// <summary>
/// The one receive loop of the bench clients (signs and dashboards): reads whole messages into a pooled buffer that
/// doubles when a message does not fit, and hands each to a callback, until the socket closes or the token is cancelled.
/// </summary>
public static class FrameReceiver
{
    /// <summary>
    /// Receives messages from <paramref name="socket"/> until it is no longer open, a close frame arrives or
    /// <paramref name="token"/> is cancelled (then it throws). <paramref name="beforeEach"/> runs before each receive
    /// (a paused reader waits there); <paramref name="onFrame"/> gets each message, valid only during the call.
    /// </summary>
    public static async Task ReceiveAsync(WebSocket socket, int initialBufferBytes, Func<ReadOnlyMemory<byte>, ValueTask> onFrame,
        CancellationToken token, Func<ValueTask>? beforeEach = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(initialBufferBytes);
        try
        {
            while (socket.State == WebSocketState.Open && !token.IsCancellationRequested)
            {
                if (beforeEach is not null) await beforeEach().ConfigureAwait(false);
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    length += result.Count;
                } while (!result.EndOfMessage);

                await onFrame(buffer.AsMemory(0, length)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CityArray.Tests.Integrations;

/// <summary>
/// Fake Deepgram live API (<c>WS /v1/listen</c>): refuses a missing or wrong <c>Authorization: Token</c> (401), records the
/// query, and treats each binary frame as an utterance whose bytes are its UTF-8 words: it answers an interim result
/// (the first word) and a final one (all of it). KeepAlive, Finalize and CloseStream are counted; CloseStream closes.
/// With <see cref="DropAfterFirstFinal"/> it drops its first connection after the first final result.
/// </summary>
public sealed class FakeDeepgram : FakeServer
{
    public const string Key = "deepgram-test-key";

    private int _connections;

    public int Connections => Volatile.Read(ref _connections);
    public ConcurrentQueue<string> Queries { get; } = new();
    public ConcurrentQueue<string> Controls { get; } = new();
    public volatile bool DropAfterFirstFinal;

    public string ListenUrl => $"ws://127.0.0.1:{Port}/v1/listen";

    public static async Task<FakeDeepgram> StartNewAsync()
    {
        var fake = new FakeDeepgram();
        await fake.StartAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/v1/listen", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization != $"Token {Key}")
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { err_code = "INVALID_AUTH", err_msg = "Invalid credentials." });
                return;
            }
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            Queries.Enqueue(context.Request.QueryString.Value ?? "");
            var connection = Interlocked.Increment(ref _connections);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                }
                catch (Exception)
                {
                    return;
                }
                if (received.MessageType == WebSocketMessageType.Close) return;
                if (received.MessageType == WebSocketMessageType.Text)
                {
                    var type = JsonDocument.Parse(buffer.AsMemory(0, received.Count)).RootElement.GetProperty("type").GetString()!;
                    Controls.Enqueue(type);
                    if (type == "CloseStream")
                    {
                        await SendAsync(socket, new { type = "Metadata", request_id = Guid.NewGuid() });
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return;
                    }
                    continue;
                }
                var words = Encoding.UTF8.GetString(buffer, 0, received.Count);
                await SendAsync(socket, Result(words.Split(' ')[0], false));
                await SendAsync(socket, Result(words, true));
                if (DropAfterFirstFinal && connection == 1)
                {
                    await Task.Delay(300); // let the results leave before the connection is cut
                    context.Abort();
                    return;
                }
            }
        });
    }

    private static object Result(string transcript, bool isFinal) => new
    {
        type = "Results",
        channel_index = new[] { 0, 1 },
        duration = 1.0,
        start = 0.0,
        is_final = isFinal,
        speech_final = isFinal,
        channel = new { alternatives = new[] { new { transcript, confidence = 0.93, words = Array.Empty<object>() } } },
    };

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
}

using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Security;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Transcripts;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Transcripts;

/// <summary>
/// <c>WS /ws/events/{event_id}/audio?user_id=</c> (the event's creator only): binary frames are audio streamed to
/// Deepgram live; a text <c>{"type":"finalize"}</c> flushes the current utterance; closing the socket finalizes and
/// closes the stream. Results go to the event's participants as <c>transcript</c> (interim and final) and final ones
/// are stored (<c>GET /api/events/{id}/transcripts</c>). Optional query: <c>language</c> (default
/// <c>DEEPGRAM_LANGUAGE</c>, <c>es</c>), and for raw audio <c>encoding</c> and <c>sample_rate</c>.
/// </summary>
public static partial class AudioSocketEndpoint
{
    private static readonly HashSet<string> Encodings = ["linear16", "flac", "mulaw", "alaw", "amr-nb", "amr-wb", "opus", "speex", "g729"];

    public static IEndpointRouteBuilder MapTranscripts(this IEndpointRouteBuilder app)
    {
        app.Map("/ws/events/{eventId}/audio", HandleAsync).ExcludeFromDescription();
        app.MapGet("/api/events/{eventId}/transcripts", async (string eventId, int? after, int? limit, IClusterClient cluster) =>
            {
                EntityId.Check(eventId, "event_id");
                if (limit is < 1 or > 1000) throw RequestException.Invalid("limit", "must be a whole number from 1 to 1000");
                return await cluster.GetGrain<IEventGrain>(eventId).GetAsync() is null ? Problems.NotFound("event", eventId)
                    : Results.Ok(await cluster.GetGrain<ITranscriptGrain>(eventId).ListAsync(Math.Max(0, after ?? 0), limit ?? 500));
            })
            .WithTags("Events")
            .WithSummary("The event's stored live transcript (final segments, oldest first; after = last sequence seen, limit 1-1000)");
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, string eventId, string? user_id, string? language, string? encoding, int? sample_rate,
        DeepgramOptions options, SecurityOptions security, IClusterClient cluster, ILoggerFactory logs)
    {
        if (!context.WebSockets.IsWebSocketRequest) return Problems.BadRequest("upgrade", "this endpoint takes a WebSocket connection");
        // Secured: the creator's own session token (?access_token= or the subprotocol pair); user_id may be left out.
        (user_id, var refused) = Caller.ActingUser(context, security, user_id, "user_id");
        if (refused is not null) return refused;
        if (!options.Enabled) return Problems.Unavailable("Deepgram is not configured: set DEEPGRAM_API_KEY");
        EntityId.Check(eventId, "event_id");
        EntityId.Check(user_id, "user_id");
        language ??= options.Language;
        if (!LanguagePattern().IsMatch(language)) return Problems.BadRequest("language", "must be a language code such as es, en or es-419");
        if (encoding is not null && !Encodings.Contains(encoding)) return Problems.BadRequest("encoding", $"must be one of {string.Join(", ", Encodings)}");
        if (sample_rate is < 8000 or > 48000) return Problems.BadRequest("sample_rate", "must be from 8000 to 48000");
        if (encoding is not null && sample_rate is null) return Problems.BadRequest("sample_rate", "is required with encoding (raw audio)");

        var eventGrain = cluster.GetGrain<IEventGrain>(eventId);
        var ev = await eventGrain.GetAsync();
        if (ev is null) return Problems.NotFound("event", eventId);
        if (ev.CreatorId != user_id)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "only the event's creator can stream its audio");
        if (ev.Status != EventStatus.Active) return Problems.Conflict("event has ended");

        var logger = logs.CreateLogger("CityArray.Transcripts");
        var transcript = cluster.GetGrain<ITranscriptGrain>(eventId);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(
            context.WebSockets.WebSocketRequestedProtocols.Contains(SecurityServices.SocketTokenProtocol) ? SecurityServices.SocketTokenProtocol : null);
        await using var session = new DeepgramLiveSession(options, language, encoding, sample_rate, async result =>
        {
            if (string.IsNullOrWhiteSpace(result.Text)) return;
            await eventGrain.PublishTranscriptAsync(result.Text.Trim(), result.IsFinal);
            if (result.IsFinal) await transcript.AppendAsync(result.Text, result.Confidence, language);
        }, logger);
        session.Start();
        _ = session.Failed.Task.ContinueWith(async failed =>
        {
            await SendErrorAsync(socket, "transcription_unavailable", failed.Result);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "transcription unavailable", CancellationToken.None);
            }
            catch (Exception)
            {
                // The client went away first.
            }
        }, TaskScheduler.Default);

        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close) break;
                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    await session.SendAudioAsync(buffer.AsMemory(0, received.Count), received.EndOfMessage);
                    continue;
                }
                if (!received.EndOfMessage) continue; // control messages are small; a split one is ignored
                var type = ControlType(buffer.AsSpan(0, received.Count));
                if (type == "finalize") await session.FinalizeAsync();
                else if (type != "keepalive") await SendErrorAsync(socket, "invalid_message", "send binary audio, {\"type\":\"finalize\"} or {\"type\":\"keepalive\"}");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The creator's connection dropped: finalize and close upstream below.
        }
        await session.CloseAsync();
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
        return Results.Empty;
    }

    private static string? ControlType(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()?.ToLowerInvariant()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task SendErrorAsync(WebSocket socket, string code, string message)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(JsonWire.ToUtf8(new ErrorMessage(code, message, null)), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }

    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")]
    private static partial Regex LanguagePattern();
}

using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Integrations;

/// <summary>Live transcripts: the creator's audio socket, a fake Deepgram on loopback, and a participant's socket.</summary>
public sealed class DeepgramTranscriptTests : IAsyncLifetime
{
    private FakeDeepgram _deepgram = null!;
    private EmbeddedServer _server = null!;

    public async Task InitializeAsync()
    {
        _deepgram = await FakeDeepgram.StartNewAsync();
        _server = await EmbeddedServer.StartAsync(new()
        {
            ["DEEPGRAM_API_KEY"] = FakeDeepgram.Key,
            ["DEEPGRAM_API_URL"] = _deepgram.ListenUrl,
            ["DEEPGRAM_KEEPALIVE_SECONDS"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _deepgram.DisposeAsync();
    }

    private HttpClient Http => _server.Http;

    private async Task<string> RegisterAsync(string name)
    {
        var phone = "+57" + Random.Shared.NextInt64(3_000_000_000, 3_999_999_999);
        var response = await Http.PostAsJsonAsync("/api/users/register", new { phone, name });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<(string Creator, string Guest, string EventId, WsClient GuestSocket)> EventWithListenerAsync()
    {
        var creator = await RegisterAsync("Ana");
        var guest = await RegisterAsync("Ben");
        var created = await Http.PostAsJsonAsync($"/api/events?creator_id={creator}", new
        {
            title = "Cabildo abierto", description = "x", category = "community", coordinates = new[] { -74.07, 4.71 }, address = "Plaza",
        });
        var eventId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var socket = await _server.ConnectAsync($"/ws/{guest}");
        await socket.SendJsonAsync(new { type = "join_event", event_id = eventId });
        await socket.ReceiveAsync("user_joined", m => m.GetProperty("user_id").GetString() == guest);
        return (creator, guest, eventId, socket);
    }

    private async Task<ClientWebSocket> AudioAsync(string eventId, string userId)
    {
        var audio = new ClientWebSocket();
        await audio.ConnectAsync(_server.WebSocketUri($"/ws/events/{eventId}/audio?user_id={userId}"), CancellationToken.None);
        return audio;
    }

    private static Task SpeakAsync(ClientWebSocket audio, string words) =>
        audio.SendAsync(Encoding.UTF8.GetBytes(words), WebSocketMessageType.Binary, true, CancellationToken.None);

    [Fact]
    public async Task Interim_and_final_results_reach_participants_and_finals_are_stored()
    {
        var (creator, _, eventId, guestSocket) = await EventWithListenerAsync();
        await using var _ = guestSocket;
        using var audio = await AudioAsync(eventId, creator);
        await SpeakAsync(audio, "hola a todos");

        var interim = await guestSocket.ReceiveAsync("transcript", m => !m.GetProperty("is_final").GetBoolean());
        Assert.Equal("hola", interim.GetProperty("text").GetString());
        Assert.Equal(eventId, interim.GetProperty("event_id").GetString());
        var final = await guestSocket.ReceiveAsync("transcript", m => m.GetProperty("is_final").GetBoolean());
        Assert.Equal("hola a todos", final.GetProperty("text").GetString());

        var query = Assert.Single(_deepgram.Queries);
        Assert.Contains("language=es", query);
        Assert.Contains("interim_results=true", query);

        await audio.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        await Eventually.UntilAsync(() => Task.FromResult(_deepgram.Controls.Contains("CloseStream")), () => string.Join(",", _deepgram.Controls));
        Assert.Contains("Finalize", _deepgram.Controls);

        var stored = await Http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/transcripts");
        var segment = Assert.Single(stored.EnumerateArray());
        Assert.Equal("hola a todos", segment.GetProperty("text").GetString());
        Assert.Equal("es", segment.GetProperty("language").GetString());
        Assert.Equal(1, segment.GetProperty("sequence").GetInt32());
    }

    [Fact]
    public async Task A_dropped_upstream_reconnects_and_silence_sends_keep_alives()
    {
        _deepgram.DropAfterFirstFinal = true;
        var (creator, _, eventId, guestSocket) = await EventWithListenerAsync();
        await using var _ = guestSocket;
        using var audio = await AudioAsync(eventId, creator);
        await SpeakAsync(audio, "primera frase");
        await guestSocket.ReceiveAsync("transcript", m => m.GetProperty("is_final").GetBoolean() && m.GetProperty("text").GetString() == "primera frase");
        await Eventually.UntilAsync(() => Task.FromResult(_deepgram.Connections == 2), () => $"{_deepgram.Connections} connections");
        await SpeakAsync(audio, "segunda frase");
        await guestSocket.ReceiveAsync("transcript", m => m.GetProperty("is_final").GetBoolean() && m.GetProperty("text").GetString() == "segunda frase");
        // No audio for a while: KeepAlive frames keep Deepgram's stream open.
        await Eventually.UntilAsync(() => Task.FromResult(_deepgram.Controls.Contains("KeepAlive")), () => string.Join(",", _deepgram.Controls));
        Assert.Equal(2, (await Http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/transcripts")).GetArrayLength());
    }

    [Fact]
    public async Task Only_the_creator_may_stream_and_without_a_key_the_socket_answers_503()
    {
        var (_, guest, eventId, guestSocket) = await EventWithListenerAsync();
        await using var _ = guestSocket;
        var intruder = new ClientWebSocket();
        intruder.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() =>
            intruder.ConnectAsync(_server.WebSocketUri($"/ws/events/{eventId}/audio?user_id={guest}"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, intruder.HttpStatusCode);
        Assert.Equal(0, _deepgram.Connections);

        await using var off = await EmbeddedServer.StartAsync();
        var noKey = new ClientWebSocket();
        noKey.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() =>
            noKey.ConnectAsync(off.WebSocketUri($"/ws/events/{eventId}/audio?user_id={guest}"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noKey.HttpStatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Video;

/// <summary>
/// A small client for Daily's REST API (rooms and meeting tokens), Bearer-authenticated. Timeouts and retries with
/// backoff come from the resilience handler registered on its <see cref="HttpClient"/>; failures throw
/// <see cref="HttpRequestException"/> (or a timeout), which the caller records and retries durably.
/// </summary>
public sealed class DailyClient(HttpClient http, IOptions<DailyOptions> options)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private DailyOptions Options => options.Value;

    /// <summary>Creates a private room that expires at <paramref name="expiresAt"/>; when it exists already, returns it.</summary>
    public async Task<string> CreateRoomAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var body = new { name, privacy = "private", properties = new { exp = expiresAt.ToUnixTimeSeconds(), eject_at_room_exp = true } };
        using var response = await SendAsync(HttpMethod.Post, "rooms", body, cancellationToken);
        if (response.IsSuccessStatusCode) return UrlOf(name, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
        // A retry after a lost answer: the room was created; fetch it instead.
        if (response.StatusCode == HttpStatusCode.BadRequest && await GetRoomUrlAsync(name, cancellationToken) is { } url) return url;
        throw await FailureAsync("create room", response);
    }

    /// <summary>The room's URL, or null when Daily does not know the room.</summary>
    public async Task<string?> GetRoomUrlAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"rooms/{Uri.EscapeDataString(name)}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await FailureAsync("get room", response);
        return UrlOf(name, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
    }

    /// <summary>A meeting token for one room (always with <c>room_name</c> and <c>exp</c>).</summary>
    public async Task<string> CreateMeetingTokenAsync(string roomName, string userId, string userName, bool isOwner, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default)
    {
        var body = new
        {
            properties = new
            {
                room_name = roomName,
                is_owner = isOwner,
                user_name = userName,
                user_id = userId,
                exp = expiresAt.ToUnixTimeSeconds(),
            },
        };
        using var response = await SendAsync(HttpMethod.Post, "meeting-tokens", body, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await FailureAsync("create meeting token", response);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return json.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } t
            ? t
            : throw new HttpRequestException("Daily answered a meeting token without a token");
    }

    /// <summary>Deletes a room; a room Daily does not know counts as deleted.</summary>
    public async Task DeleteRoomAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"rooms/{Uri.EscapeDataString(name)}", null, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound) return;
        throw await FailureAsync("delete room", response);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl(), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        return await http.SendAsync(request, cancellationToken);
    }

    private Uri BaseUrl()
    {
        var s = Options.BaseUrl.ToString();
        return s.EndsWith('/') ? Options.BaseUrl : new Uri(s + "/");
    }

    private string UrlOf(string name, JsonElement room) =>
        room.ValueKind == JsonValueKind.Object && room.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 } u
            ? u
            : $"https://{Options.Domain}.daily.co/{name}";

    private static async Task<HttpRequestException> FailureAsync(string what, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 200) text = text[..200];
        return new HttpRequestException($"Daily {what}: {(int)response.StatusCode} {text}", null, response.StatusCode);
    }
}

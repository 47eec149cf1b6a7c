using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CityArray.Tests.Integrations;

/// <summary>
/// Fake Daily REST API (<c>/v1/rooms</c>, <c>/v1/meeting-tokens</c>): checks the Bearer key, refuses a room without a
/// name or <c>properties.exp</c>, a duplicate room, and a token without <c>room_name</c> (of an existing room) or
/// <c>exp</c>, as Daily does.
/// </summary>
public sealed class FakeDaily : FakeServer
{
    public const string Key = "daily-test-key";

    /// <summary>Rooms that exist: name -> exp (unix seconds).</summary>
    public ConcurrentDictionary<string, long> Rooms { get; } = new();

    /// <summary>Rooms deleted, in order.</summary>
    public ConcurrentQueue<string> Deleted { get; } = new();

    /// <summary>Properties of every token issued.</summary>
    public ConcurrentQueue<JsonElement> Tokens { get; } = new();

    public string ApiBaseUrl => $"{BaseUrl}/v1/";

    public static async Task<FakeDaily> StartNewAsync()
    {
        var fake = new FakeDaily();
        await fake.StartAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != $"Bearer {Key}")
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(new { error = "authentication-error", info = "bad API key" });
                return;
            }
            await next(context);
        });
        app.MapPost("/v1/rooms", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            if (!body.TryGetProperty("name", out var name) || name.GetString() is not { Length: > 0 } roomName)
                return Results.BadRequest(new { error = "invalid-request-error", info = "name is required" });
            if (!body.TryGetProperty("properties", out var props) || !props.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number)
                return Results.BadRequest(new { error = "invalid-request-error", info = "properties.exp is required here" });
            if (!Rooms.TryAdd(roomName, exp.GetInt64()))
                return Results.BadRequest(new { error = "invalid-request-error", info = $"a room named {roomName} already exists" });
            return Results.Ok(new { name = roomName, url = $"https://cityarray-test.daily.co/{roomName}", privacy = "private" });
        });
        app.MapGet("/v1/rooms/{name}", (string name) => Rooms.ContainsKey(name)
            ? Results.Ok(new { name, url = $"https://cityarray-test.daily.co/{name}" })
            : Results.NotFound(new { error = "not-found" }));
        app.MapDelete("/v1/rooms/{name}", (string name) =>
        {
            if (!Rooms.TryRemove(name, out _)) return Results.NotFound(new { error = "not-found" });
            Deleted.Enqueue(name);
            return Results.Ok(new { deleted = true, name });
        });
        app.MapPost("/v1/meeting-tokens", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            if (!body.TryGetProperty("properties", out var props)
                || !props.TryGetProperty("room_name", out var room) || room.GetString() is not { } roomName || !Rooms.ContainsKey(roomName)
                || !props.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number)
                return Results.BadRequest(new { error = "invalid-request-error", info = "room_name of an existing room and exp are required" });
            Tokens.Enqueue(props.Clone());
            return Results.Ok(new { token = $"tok-{Guid.NewGuid():N}" });
        });
    }
}

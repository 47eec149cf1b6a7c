using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CityArray.Tests.Infrastructure;

namespace CityArray.Tests.Security;

/// <summary>A user acts only as the user of its session token, over REST and on its socket; phones stay private.</summary>
public sealed class UserIdentityTests(SecuredServerFixture fixture) : IClassFixture<SecuredServerFixture>
{
    private static readonly object Event = new { title = "Concierto", description = "Plaza", category = "music", coordinates = new[] { -74.0721, 4.7110 }, address = "Plaza" };

    private async Task<string> CreateEventAsync(string token)
    {
        var response = await fixture.SendAsync(HttpMethod.Post, "/api/events", token, Event);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Rest_actions_act_as_the_tokens_user_and_refuse_anyone_else()
    {
        var ana = await fixture.RegisterAsync("Ana");
        var bob = await fixture.RegisterAsync("Bob");

        // Create: no token -> 401; a creator_id naming someone else -> 403; the token alone -> created by its user.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, $"/api/events?creator_id={ana.Id}", body: Event)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events?creator_id={ana.Id}", bob.Token, Event)).StatusCode);
        var eventId = await CreateEventAsync(ana.Token);
        var view = await fixture.Http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        Assert.Equal(ana.Id, view.GetProperty("creator_id").GetString());
        Assert.Equal(HttpStatusCode.Created, (await fixture.SendAsync(HttpMethod.Post, $"/api/events?creator_id={ana.Id}", ana.Token, Event)).StatusCode);

        // Join / leave as someone else.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/join?user_id={bob.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/join?user_id={ana.Id}", bob.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/join", bob.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/leave?user_id={ana.Id}", bob.Token)).StatusCode);

        // Drop and end: Bob's token cannot pass as the creator, by query or at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles?creator_id={ana.Id}", bob.Token, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles", bob.Token, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles?creator_id={ana.Id}", body: new { })).StatusCode);
        // An operator may drop in any event; a viewer may not.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles", fixture.Tokens["viewer"], new { })).StatusCode);
        var dropped = await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles", fixture.Tokens["operator"], new { ttl_seconds = 60 });
        Assert.Equal(HttpStatusCode.Created, dropped.StatusCode);
        var collectibleId = (await dropped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // Claim as someone else.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/collectibles/claim?collectible_id={collectibleId}&user_id={ana.Id}", bob.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Post, $"/api/collectibles/claim?collectible_id={collectibleId}&user_id={ana.Id}")).StatusCode);
        var claim = await (await fixture.SendAsync(HttpMethod.Post, $"/api/collectibles/claim?collectible_id={collectibleId}", bob.Token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(claim.GetProperty("success").GetBoolean());

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/end?creator_id={ana.Id}", bob.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/end", bob.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/end", ana.Token)).StatusCode);
    }

    [Fact]
    public async Task The_user_socket_opens_only_with_that_users_token_and_acts_as_it()
    {
        var ana = await fixture.RegisterAsync("Ana");
        var bob = await fixture.RegisterAsync("Bob");
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.TryConnectAsync($"/ws/{ana.Id}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/{ana.Id}?access_token={bob.Token}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/{ana.Id}?access_token={fixture.Tokens["admin"]}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.TryConnectAsync($"/ws/{ana.Id}", subprotocols: ["access_token", bob.Token])).Status);

        var eventId = await CreateEventAsync(ana.Token);
        await using var socket = await WsClient.ConnectAsync(fixture.Server.WebSocketUri($"/ws/{bob.Id}?access_token={bob.Token}"));
        await socket.SendJsonAsync(new { type = "join_event", event_id = eventId, user_id = ana.Id });
        var joined = await socket.ReceiveAsync("user_joined");
        Assert.Equal(bob.Id, joined.GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task Phones_are_absent_from_every_view_a_stranger_can_read()
    {
        var ana = await fixture.RegisterAsync("Ana");
        var bob = await fixture.RegisterAsync("Bob");
        var eventId = await CreateEventAsync(ana.Token);
        await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/join", bob.Token);
        var drop = await (await fixture.SendAsync(HttpMethod.Post, $"/api/events/{eventId}/collectibles", ana.Token, new { ttl_seconds = 60 })).Content.ReadFromJsonAsync<JsonElement>();
        var collectibleId = drop.GetProperty("id").GetString()!;
        await fixture.SendAsync(HttpMethod.Post, $"/api/collectibles/claim?collectible_id={collectibleId}", bob.Token);

        var digits = ana.Phone[1..];
        foreach (var (path, token) in new (string, string?)[]
                 {
                     ($"/api/users/{ana.Id}", null), ($"/api/users/{ana.Id}", bob.Token), ($"/api/users/{ana.Id}", fixture.Tokens["operator"]),
                     ($"/api/users/{bob.Id}", null), ($"/api/users/{bob.Id}/collectibles", null), ($"/api/events/{eventId}", null),
                     ("/api/events/nearby?lng=-74.0721&lat=4.7110", null), ($"/api/collectibles/active/{eventId}", null),
                     ($"/api/collectibles/{collectibleId}", null),
                 })
        {
            var text = await (await fixture.SendAsync(HttpMethod.Get, path, token)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(digits, text);
            Assert.DoesNotContain("\"phone\"", text);
        }
        // The user and admins see it.
        Assert.Contains(ana.Phone, await (await fixture.SendAsync(HttpMethod.Get, $"/api/users/{ana.Id}", ana.Token)).Content.ReadAsStringAsync());
        Assert.Contains(ana.Phone, await (await fixture.SendAsync(HttpMethod.Get, $"/api/users/{ana.Id}", fixture.Tokens["admin"])).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Submission_contacts_are_for_moderators_only()
    {
        var created = await fixture.SendAsync(HttpMethod.Post, "/api/submissions", body: new { name = "Eva", text = "Hello!", contact = "eva@example.org" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.SendAsync(HttpMethod.Get, $"/api/submissions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.SendAsync(HttpMethod.Get, $"/api/submissions/{id}", fixture.Tokens["viewer"])).StatusCode);
        Assert.Contains("eva@example.org", await (await fixture.SendAsync(HttpMethod.Get, $"/api/submissions/{id}", fixture.Tokens["moderator"])).Content.ReadAsStringAsync());
    }
}

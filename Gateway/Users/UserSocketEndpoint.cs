using CityArray.Gateway.Infrastructure;
using CityArray.Gateway.Security;
using CityArray.Grains.Interfaces.Geo;
using System.Text.Json;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Gateway.Collectibles;
using CityArray.Gateway.Events;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;
using CityArray.Grains.Interfaces.Users;
using CityArray.Grains.Interfaces.Validation;

namespace CityArray.Gateway.Users;

/// <summary>
/// <c>WS /ws/{user_id}</c>: one user's connection. Client messages go to the grains (search, join, leave, chat,
/// claim); notifications of the events joined on this socket arrive through <see cref="EventFanout"/>.
/// Closing the socket stops the deliveries but does not leave the events (participation is not tied to a socket).
/// </summary>
public sealed class UserSocketEndpoint(
    IClusterClient cluster,
    SocketAcceptor acceptor,
    EventFanout fanout,
    SecurityOptions security,
    Grains.CityArrayClock clock,
    ILogger<UserSocketEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context, string userId)
    {
        // Secured: only the user's own session token (?access_token= or the access_token subprotocol) opens its socket.
        if (security.Secured && context.User.UserId() != userId)
        {
            await Caller.WriteAsync(context, context.User.Identity?.IsAuthenticated != true
                ? Caller.Unauthorized("a user socket needs the user's session token: ?access_token=<token> or the subprotocol pair access_token, <token>")
                : Caller.Forbidden("this token does not belong to this user"));
            return;
        }
        using var connection = await acceptor.OpenAsync(context, "unknown_user", async () =>
            CivicValidation.Id(userId, "user_id")
            ?? (await cluster.GetGrain<IUserGrain>(userId).GetAsync() is null ? $"user '{userId}' not found: register first" : null));
        if (connection is null) return;

        var joined = new HashSet<string>();
        try
        {
            await connection.RunAsync(message => OnMessageAsync(connection, userId, joined, message));
        }
        finally
        {
            foreach (var eventId in joined)
            {
                try { await fanout.StopAsync(eventId, connection); }
                catch (Exception e) { logger.LogWarning(e, "Could not stop deliveries of event {EventId}", eventId); }
            }
        }
    }

    private async Task OnMessageAsync(SocketConnection connection, string userId, HashSet<string> joined, ReadOnlyMemory<byte> utf8)
    {
        var message = IncomingMessage.TryParse(utf8, out var parseError);
        if (message is null)
        {
            connection.SendError("invalid_message", parseError!, null);
            return;
        }
        try
        {
            switch (message.Type)
            {
                case "location_update":
                    await LocationUpdateAsync(connection, message);
                    break;
                case "join_event":
                    if (Id(connection, message, "event_id") is { } joinId)
                    {
                        // Listen first, so the user's own user_joined confirms the join.
                        await fanout.ListenAsync(joinId, connection);
                        try
                        {
                            var before = await fanout.DeliveredAsync(joinId);
                            var result = await cluster.GetGrain<IEventGrain>(joinId).JoinAsync(userId);
                            joined.Add(joinId);
                            // Already a participant (a reconnect, or joined over REST): nothing is published, so this
                            // socket alone gets the confirmation. A new participant's user_joined comes back on the
                            // stream; if it does not, the subscription is taken again and the socket confirmed directly.
                            if (result.AlreadyParticipant || !await fanout.ConfirmDeliveringAsync(joinId, before, TimeSpan.FromSeconds(3)))
                            {
                                connection.SendJson(UserNotification(EventNotification.UserJoined, joinId, userId));
                                await CatchUpDropsAsync(connection, joinId);
                            }
                        }
                        catch
                        {
                            if (!joined.Contains(joinId)) await fanout.StopAsync(joinId, connection);
                            throw;
                        }
                    }
                    break;
                case "leave_event":
                    if (Id(connection, message, "event_id") is { } leaveId)
                    {
                        var left = await cluster.GetGrain<IEventGrain>(leaveId).LeaveAsync(userId);
                        if (joined.Remove(leaveId)) await fanout.StopAsync(leaveId, connection);
                        // Not a participant: leaving is idempotent, so this socket alone gets user_left as the answer.
                        if (!left) connection.SendJson(UserNotification(EventNotification.UserLeft, leaveId, userId));
                    }
                    break;
                case "chat_message":
                    if (Id(connection, message, "event_id") is { } chatId)
                    {
                        var fields = new FieldReader(message.Root, "");
                        var text = fields.RequiredString("message", CivicValidation.MaxChatMessage);
                        if (fields.Error is not null) connection.SendError("invalid_message", fields.Error, message.Type);
                        else await cluster.GetGrain<IEventGrain>(chatId).ChatAsync(userId, text!);
                    }
                    break;
                case "claim_collectible":
                    if (Id(connection, message, "collectible_id") is { } collectibleId)
                    {
                        var result = await cluster.GetGrain<ICollectibleGrain>(collectibleId).ClaimAsync(userId);
                        connection.SendJson(CollectibleWire.ClaimResult(result));
                    }
                    break;
                default:
                    connection.SendError("unknown_type",
                        $"unknown message type '{message.Type}'; send location_update, join_event, leave_event, chat_message or claim_collectible",
                        message.Type);
                    break;
            }
        }
        catch (RequestException e)
        {
            connection.SendError(e, message.Type);
        }
    }

    private async Task LocationUpdateAsync(SocketConnection connection, IncomingMessage message)
    {
        GeoPoint? point = null;
        string? error = null;
        if (!message.Root.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Array || c.GetArrayLength() != 2
            || c[0].ValueKind != JsonValueKind.Number || c[1].ValueKind != JsonValueKind.Number)
            error = "coordinates: must be [longitude, latitude]";
        else
        {
            point = new GeoPoint(c[0].GetDouble(), c[1].GetDouble());
            error = point.Validate() is { } reason ? $"coordinates: {reason}" : null;
        }
        var maxDistance = IEventSearchGrain.DefaultMaxDistanceM;
        if (error is null && message.Root.TryGetProperty("max_distance", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind == JsonValueKind.Number && m.GetDouble() is > 0 and <= IEventSearchGrain.MaxDistanceLimitM) maxDistance = m.GetDouble();
            else error = $"max_distance: must be more than 0 and at most {IEventSearchGrain.MaxDistanceLimitM:0} metres";
        }
        var limit = IEventSearchGrain.DefaultLimit;
        if (error is null && message.Root.TryGetProperty("limit", out var l) && l.ValueKind != JsonValueKind.Null)
        {
            if (l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) && n is >= 1 and <= IEventSearchGrain.MaxLimit) limit = n;
            else error = $"limit: must be from 1 to {IEventSearchGrain.MaxLimit}";
        }
        if (error is not null)
        {
            connection.SendError("invalid_message", error, message.Type);
            return;
        }
        var found = await cluster.GetGrain<IEventSearchGrain>(0).NearbyAsync(point!, maxDistance, limit);
        connection.SendJson(EventWire.NearbyEvents(found, clock.GetUtcNow()));
    }

    private EventNotification UserNotification(string type, string eventId, string userId) =>
        new(type, eventId, clock.GetUtcNow(), UserId: userId);

    private static string? Id(SocketConnection connection, IncomingMessage message, string field)
    {
        var fields = new FieldReader(message.Root, "");
        var id = fields.RequiredString(field, 64);
        var error = fields.Error ?? (id is not null ? CivicValidation.Id(id, field) : null);
        if (error is null) return id;
        connection.SendError("invalid_message", error, message.Type);
        return null;
    }

    /// <summary>
    /// A participant joining again (a reconnect, often to another gateway after a fault) gets the event's collectibles
    /// that are still claimable, from the event's durable state: live delivery over the event stream is best-effort.
    /// </summary>
    private async Task CatchUpDropsAsync(SocketConnection connection, string eventId)
    {
        var now = clock.GetUtcNow();
        foreach (var collectible in await cluster.GetGrain<IEventGrain>(eventId).GetActiveCollectiblesAsync())
        {
            var expiresIn = (int)Math.Ceiling((collectible.ExpiresAt - now).TotalSeconds);
            if (expiresIn <= 0) continue;
            connection.Send(JsonWire.ToUtf8(new EventNotification(EventNotification.CollectibleDrop, eventId, now,
                Collectible: collectible, ExpiresIn: expiresIn)));
        }
    }
}

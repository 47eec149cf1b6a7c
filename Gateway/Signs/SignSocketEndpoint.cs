using CityArray.Grains.Interfaces.Validation;
using CityArray.Gateway.Security;
using CityArray.Gateway.Hosting;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Gateway.Signs;

/// <summary>
/// <c>WS /ws/sign/{sign_id}</c>: bridges one sign's socket to its grain. Messages from the sign go to the sign grain
/// (override acks are batched by the <see cref="SignHub"/>); what the sign is sent comes through this gateway's channel
/// (<see cref="SignHub"/>), so a connect takes no stream subscription and no storage write beyond the sign's own state.
/// A connect the cluster cannot take is answered with an <c>error</c> and close code 1013 (try again later).
/// </summary>
public sealed class SignSocketEndpoint(
    IClusterClient cluster,
    SocketAcceptor acceptor,
    SignHub hub,
    GatewayLink link,
    GatewayOptions options,
    SecurityOptions security,
    Grains.CityArrayClock clock,
    InputLimits limits,
    ILogger<SignSocketEndpoint> logger)
{
    /// <summary>The route of a sign's socket.</summary>
    public const string Route = "/ws/sign/{signId}";

    /// <summary>
    /// True for a sign socket's request. These requests skip the middleware they do not use (the exception handler, status
    /// code pages and authorization): each such middleware would hold an async frame for as long as the socket stays open,
    /// 10,000 of them when the fleet is connected. A sign socket answers its own errors (a problem before the upgrade, an
    /// <c>error</c> message after it) and checks its own secret.
    /// </summary>
    public static bool IsSignSocket(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/ws/sign", out var rest) && rest.Value is { Length: > 1 } id && id.IndexOf('/', 1) < 0;

    public async Task HandleAsync(HttpContext context, string signId)
    {
        // Secured: the sign proves who it is before anything changes (no sign is created, replaced or acked for otherwise).
        if (security.Secured && await RefusedOrUnavailableAsync(context, signId) is { } refusal)
        {
            await Caller.WriteAsync(context, refusal);
            return;
        }
        using var connection = await acceptor.OpenAsync(context, "invalid_sign_id", () => Task.FromResult(SignId.Validate(signId)));
        if (connection is null) return;

        var sign = cluster.GetGrain<ISignGrain>(signId);
        // Held here before the grain counts the sign as connected, so nothing sent to a connected sign can miss it.
        hub.EnsurePings(options.SignPingInterval);
        hub.Attach(signId, connection);
        var connected = false;
        try
        {
            try
            {
                hub.Connected(signId, connection, await sign.ConnectAsync(connection.Id, link.Observer));
                connected = true;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not connect sign {SignId} to the cluster; asking it to retry", signId);
                connection.SendError("server_error", "the cluster could not take this connection now; reconnect with backoff", null);
                connection.Close(TryAgainLater, "cluster busy or unreachable; retry with backoff");
                await connection.RunAsync(_ => Task.CompletedTask);
                return;
            }
            await connection.RunAsync(message => OnMessageAsync(connection, signId, sign, message));
        }
        finally
        {
            hub.Detach(signId, connection);
            if (connected) await Quietly(() => sign.DisconnectAsync(connection.Id), "disconnect", signId);
        }
    }

    /// <summary>WebSocket close status 1013 "Try Again Later": the client should reconnect after a backoff.</summary>
    public const System.Net.WebSockets.WebSocketCloseStatus TryAgainLater = (System.Net.WebSockets.WebSocketCloseStatus)1013;

    /// <summary>
    /// <see cref="RefusedAsync"/>, or a 503 problem when the cluster cannot check the secret now (this request skips the
    /// exception handler, see <see cref="IsSignSocket"/>, so it answers its own failure).
    /// </summary>
    private async Task<IResult?> RefusedOrUnavailableAsync(HttpContext context, string signId)
    {
        try
        {
            return await RefusedAsync(context, signId);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not check the secret of sign {SignId}", signId);
            return Infrastructure.Problems.Unavailable("the cluster could not check this sign's secret now; reconnect with backoff");
        }
    }

    /// <summary>The problem to answer when the sign's secret is missing or wrong (or the sign is not provisioned), else null.</summary>
    private async Task<IResult?> RefusedAsync(HttpContext context, string signId)
    {
        if (SignId.Validate(signId) is not null) return null; // refused on the socket with the reason
        var secret = context.Request.Query["token"] is { Count: > 0 } q ? q[0]
            : context.Request.Headers.Authorization is { Count: > 0 } h && h[0]!.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h[0]![7..].Trim()
            : null;
        if (string.IsNullOrEmpty(secret))
            return Caller.Unauthorized("a sign presents its provisioning secret as ?token= or Authorization: Bearer <secret>");
        return await cluster.GetGrain<Grains.Interfaces.Security.ISignCredentialGrain>(signId).VerifyAsync(secret)
            ? null
            : Caller.Unauthorized($"wrong, rotated or revoked secret for sign '{signId}', or the sign is not provisioned (PUT /api/signs/{{id}} by an admin)");
    }

    private async Task OnMessageAsync(SocketConnection connection, string signId, ISignGrain sign, ReadOnlyMemory<byte> utf8)
    {
        var message = IncomingMessage.TryParse(utf8, out var parseError);
        if (message is null)
        {
            connection.SendError("invalid_message", parseError!, null);
            return;
        }
        string? error;
        switch (message.Type)
        {
            case "heartbeat":
                // A grain re-activated elsewhere (a silo restarted) while this socket stayed open no longer knows the
                // connection: the heartbeat tells, and the sign is adopted again (and caught up) at once.
                if (SignSocketMessages.ReadHeartbeat(message.Root, out error) is { } heartbeat &&
                    !(await sign.HeartbeatAsync(heartbeat)).Connected)
                    hub.Connected(signId, connection, await sign.ConnectAsync(connection.Id, link.Observer));
                break;
            case "metrics":
                if (SignSocketMessages.ReadMetrics(message.Root, clock.GetUtcNow(), limits.MaxMetrics, out error) is { } sample)
                    await sign.RecordMetricsAsync(sample);
                break;
            case "ack":
                Infrastructure.CityArrayMetrics.Acks.Add(1);
                if (SignSocketMessages.ReadAck(message.Root, out error) is { } messageId && !hub.TryAckOverride(signId, messageId))
                {
                    if (hub.TryAckBroadcast(signId, messageId, out var broadcast))
                    {
                        // Recorded on the sign's own state so it is never replayed again, then counted in the message's tally.
                        if (broadcast is not null) await sign.AckBroadcastAsync(broadcast);
                        hub.MessageAcked(signId, messageId);
                    }
                    else switch (await sign.AckAsync(messageId))
                    {
                        case AckedItem.Message:
                            hub.MessageAcked(signId, messageId);
                            break;
                        case AckedItem.Override:
                            hub.OverrideAcked(signId, messageId);
                            break;
                        default:
                            error = $"message_id: '{messageId}' is not a message or override sent to this sign";
                            break;
                    }
                }
                break;
            default:
                error = $"unknown message type '{message.Type}'; a sign may send heartbeat, metrics or ack";
                connection.SendError("unknown_type", error, message.Type);
                return;
        }
        if (error is not null) connection.SendError("invalid_message", error, message.Type);
    }

    private async Task Quietly(Func<Task> action, string what, string signId)
    {
        try { await action(); }
        catch (Exception e) { logger.LogWarning(e, "Could not {What} for sign {SignId}", what, signId); }
    }
}

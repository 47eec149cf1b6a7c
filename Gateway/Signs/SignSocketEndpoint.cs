using CityArray.Gateway.Hosting;
using CityArray.Gateway.Infrastructure.WebSockets;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;
using Orleans.Streams;

namespace CityArray.Gateway.Signs;

/// <summary>
/// <c>WS /ws/sign/{sign_id}</c>: bridges one sign's socket to its grain. Messages from the sign go to the
/// sign grain; commands for the sign arrive on its command stream and go out on the socket.
/// </summary>
public sealed class SignSocketEndpoint(
    IClusterClient cluster,
    SocketAcceptor acceptor,
    SignConnections connections,
    GatewayOptions options,
    TimeProvider clock,
    ILogger<SignSocketEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context, string signId)
    {
        using var opened = await acceptor.OpenAsync(context, "invalid_sign_id", () => Task.FromResult(SignId.Validate(signId)));
        if (opened is null) return;
        var connection = opened.Connection;

        var sign = cluster.GetGrain<ISignGrain>(signId);
        var commands = cluster.GetStreamProvider(StreamNames.Provider)
            .GetStream<SignCommand>(StreamId.Create(StreamNames.SignCommands, signId));
        var subscription = await commands.SubscribeAsync((command, _) => Deliver(connection, command));
        // Known here before the grain counts the sign as connected, so a broadcast to connected signs reaches it.
        connections.Add(signId, connection);
        try
        {
            await sign.ConnectAsync(connection.Id);
            using var pings = StartPings(connection);
            await connection.RunAsync(message => OnMessageAsync(connection, sign, message), context.RequestAborted);
        }
        finally
        {
            connections.Remove(signId, connection);
            await Quietly(() => subscription.UnsubscribeAsync(), "unsubscribe", signId);
            await Quietly(() => sign.DisconnectAsync(connection.Id), "disconnect", signId);
        }
    }

    private static Task Deliver(SocketConnection connection, SignCommand command)
    {
        if (command.Type == SignCommand.ConnectionReplaced)
        {
            if (command.ConnectionId == connection.Id)
                connection.Close(SocketConnection.Replaced, "replaced by a newer connection of this sign");
            return Task.CompletedTask;
        }
        connection.SendJson(SignWire.ToMessage(command));
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(SocketConnection connection, ISignGrain sign, ReadOnlyMemory<byte> utf8)
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
                    await sign.ConnectAsync(connection.Id);
                break;
            case "metrics":
                if (SignSocketMessages.ReadMetrics(message.Root, clock.GetUtcNow(), out error) is { } sample)
                    await sign.RecordMetricsAsync(sample);
                break;
            case "ack":
                if (SignSocketMessages.ReadAck(message.Root, out error) is { } messageId && !await sign.AckAsync(messageId))
                    error = $"message_id: '{messageId}' is not a message or override sent to this sign";
                break;
            default:
                error = $"unknown message type '{message.Type}'; a sign may send heartbeat, metrics or ack";
                connection.SendError("unknown_type", error, message.Type);
                return;
        }
        if (error is not null) connection.SendError("invalid_message", error, message.Type);
    }

    private Timer StartPings(SocketConnection connection)
    {
        var interval = options.SignPingInterval;
        return new Timer(_ => connection.SendJson(new { type = "ping", timestamp = clock.GetUtcNow() }), null, interval, interval);
    }

    private async Task Quietly(Func<Task> action, string what, string signId)
    {
        try { await action(); }
        catch (Exception e) { logger.LogWarning(e, "Could not {What} for sign {SignId}", what, signId); }
    }
}

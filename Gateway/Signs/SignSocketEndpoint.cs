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
    GatewayOptions options,
    TimeProvider clock,
    ILogger<SignSocketEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context, string signId)
    {
        using var socket = await acceptor.AcceptAsync(context);
        if (socket is null) return;
        var connection = acceptor.Wrap(socket);
        if (SignId.Validate(signId) is { } reason)
        {
            await connection.RefuseAsync("invalid_sign_id", reason, context.RequestAborted);
            return;
        }

        var sign = cluster.GetGrain<ISignGrain>(signId);
        var commands = cluster.GetStreamProvider(StreamNames.Provider)
            .GetStream<SignCommand>(StreamId.Create(StreamNames.SignCommands, signId));
        var subscription = await commands.SubscribeAsync((command, _) => Deliver(connection, command));
        try
        {
            await sign.ConnectAsync(connection.Id);
            using var pings = StartPings(connection);
            await connection.RunAsync(message => OnMessageAsync(connection, sign, message), context.RequestAborted);
        }
        finally
        {
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
        if (command.Override is { } o && command.Type == SignCommand.OverrideOn)
            connection.SendJson(new { type = command.Type, o.OverrideId, o.Text, o.Severity, o.Urgency, o.Category, o.Headline, o.Instruction, o.ExpiresAt, o.CapStatus });
        else if (command.Override is { } cancelled)
            connection.SendJson(new { type = command.Type, cancelled.OverrideId });
        else if (command.Message is { } m)
            connection.SendJson(new { type = command.Type, m.MessageId, m.Text, m.TemplateId, m.Priority, m.DisplaySeconds, m.ExpiresAt });
        else
            connection.SendJson(new { type = command.Type });
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
                if (SignSocketMessages.ReadHeartbeat(message.Root, out error) is { } heartbeat)
                    await sign.HeartbeatAsync(heartbeat);
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

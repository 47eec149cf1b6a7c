using CityArray.Silo.Hosting;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>Limits every socket enforces; see docs/websockets.md and docs/limits.md.</summary>
public sealed record SocketLimits
{
    /// <summary>A message larger than this closes the socket with 1009 (<c>WS_MAX_MESSAGE_BYTES</c>).</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The pooled buffer a message is first read into (<c>WS_IDLE_RECEIVE_BYTES</c>); a longer one moves to a larger pooled buffer.
    /// An idle socket holds none: it waits for its next message with a zero-byte receive.
    /// </summary>
    public int IdleReceiveBytes { get; init; } = 1024;

    /// <summary>Messages a client may send per second on average.</summary>
    public double MessagesPerSecond { get; init; } = 20;

    /// <summary>Messages a client may send at once; this many dropped in a row closes the socket as flooding.</summary>
    public int MessageBurst { get; init; } = 100;

    /// <summary>Messages queued for a client before it is judged too slow and disconnected.</summary>
    public int SendQueueCapacity { get; init; } = 1024;

    /// <summary>Bytes queued for a client before it is judged too slow and disconnected (<c>WS_SEND_QUEUE_BYTES</c>).</summary>
    public long SendQueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Open sockets (signs, dashboards, users) one gateway accepts; more are closed with 1013 (<c>WS_MAX_CONNECTIONS</c>).</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>How long one send may take before the client is judged dead.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The defaults, with <c>WS_MAX_CONNECTIONS</c>, <c>WS_SEND_QUEUE_BYTES</c>, <c>WS_MAX_MESSAGE_BYTES</c> and
    /// <c>WS_IDLE_RECEIVE_BYTES</c> read from configuration.
    /// </summary>
    public static SocketLimits From(IConfiguration config)
    {
        var maxMessage = CityArraySettings.ReadInt(config, "WS_MAX_MESSAGE_BYTES", 64 * 1024, 1024, 16 * 1024 * 1024);
        return new()
        {
            MaxConnections = CityArraySettings.ReadInt(config, "WS_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
            SendQueueBytes = CityArraySettings.ReadInt(config, "WS_SEND_QUEUE_BYTES", 4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
            MaxMessageBytes = maxMessage,
            IdleReceiveBytes = CityArraySettings.ReadInt(config, "WS_IDLE_RECEIVE_BYTES", 1024, 256, 1024 * 1024),
        };
    }
}

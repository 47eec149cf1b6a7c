namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>Limits every socket enforces; see docs/websockets.md.</summary>
public sealed record SocketLimits
{
    /// <summary>A message larger than this closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Messages a client may send per second on average.</summary>
    public double MessagesPerSecond { get; init; } = 20;

    /// <summary>Messages a client may send at once; this many dropped in a row closes the socket as flooding.</summary>
    public int MessageBurst { get; init; } = 100;

    /// <summary>Messages queued for a client before it is judged too slow and disconnected.</summary>
    public int SendQueueCapacity { get; init; } = 1024;

    /// <summary>How long one send may take before the client is judged dead.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

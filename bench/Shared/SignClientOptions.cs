namespace CityArray.Bench.Shared;

/// <summary>How a <see cref="SignClient"/> connects and behaves.</summary>
public sealed record SignClientOptions
{
    /// <summary>Server base address, e.g. <c>http://127.0.0.1:8000</c> (ws:// is derived).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>The sign id (path segment of <c>/ws/sign/{id}</c>).</summary>
    public required string SignId { get; init; }

    /// <summary>Optional provisioning secret sent as the <c>token</c> query parameter.</summary>
    public string? Token { get; init; }

    /// <summary>Heartbeat period; <see cref="TimeSpan.Zero"/> sends none on its own.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Metrics period; <see cref="TimeSpan.Zero"/> (default) sends none.</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether each heartbeat's <c>crowd_count</c> carries a per-client sequence number (every heartbeat then changes
    /// what operators see); when false it stays 42, as a sign whose readings do not change.
    /// </summary>
    public bool SequenceInCrowdCount { get; init; } = true;

    /// <summary>Whether every <c>new_message</c> and <c>override</c> is acked.</summary>
    public bool Ack { get; init; } = true;

    /// <summary>Whether a lost connection is re-established (jittered exponential backoff).</summary>
    public bool Reconnect { get; init; } = true;

    /// <summary>First reconnect delay (before jitter).</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest reconnect delay (before jitter).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether message ids and their receive timestamps are kept (<see cref="SignClient.ReceivedAt"/>).</summary>
    public bool RecordReceipts { get; init; } = true;

    /// <summary>Counters shared by many clients (optional).</summary>
    public SignFleetCounters? Counters { get; init; }

    /// <summary>The WebSocket address of this sign.</summary>
    public Uri SocketUri
    {
        get
        {
            var b = new UriBuilder(BaseUri) { Scheme = BaseUri.Scheme == "https" ? "wss" : "ws" };
            b.Path = b.Path.TrimEnd('/') + "/ws/sign/" + Uri.EscapeDataString(SignId);
            b.Query = Token is null ? "" : "token=" + Uri.EscapeDataString(Token);
            return b.Uri;
        }
    }
}

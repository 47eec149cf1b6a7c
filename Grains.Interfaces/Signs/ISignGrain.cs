using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// One outdoor sign, keyed by its sign id: metadata, liveness (heartbeats, offline detection),
/// metrics and counters. Every change is published to the dashboard stream.
/// </summary>
[Alias("CityArray.ISignGrain")]
public interface ISignGrain : IGrainWithStringKey
{
    /// <summary>The sign as it is now, or null if it was never registered nor connected.</summary>
    [Alias("Get"), ReadOnly]
    Task<SignView?> GetAsync();

    /// <summary>Registers the sign or updates its name, zone and coordinates (null fields keep their value).</summary>
    [Alias("Register")]
    Task<SignView> RegisterAsync(SignRegistration registration);

    /// <summary>
    /// A socket for this sign opened on the gateway <paramref name="gateway"/>; a newer connection replaces any older one.
    /// Returns what the gateway sends first (coverage is decided there) and the unacked messages to replay.
    /// </summary>
    [Alias("ConnectVia")]
    Task<SignConnectResult> ConnectAsync(string connectionId, IGatewayObserver gateway);

    /// <summary>The socket <paramref name="connectionId"/> closed; ignored if a newer one took over.</summary>
    [Alias("Disconnect")]
    Task DisconnectAsync(string connectionId);

    /// <summary>
    /// From the fleet's liveness sweep: marks the sign offline when it has been silent past the timeout (its own timer
    /// died with a silo). One-way: the sweep never waits on a sign.
    /// </summary>
    [Alias("CheckLiveness"), OneWay]
    Task CheckLivenessAsync();

    /// <summary>A heartbeat arrived: the sign is online and its status fields are updated.</summary>
    [Alias("Heartbeat")]
    Task<SignView> HeartbeatAsync(Heartbeat heartbeat);

    /// <summary>Stores a metrics sample in the sign's time series.</summary>
    [Alias("RecordMetrics")]
    Task RecordMetricsAsync(MetricsSample sample);

    /// <summary>The most recent metrics samples, oldest first.</summary>
    [Alias("GetMetrics"), ReadOnly]
    Task<IReadOnlyList<MetricsSample>> GetMetricsAsync(int limit);

    /// <summary>
    /// The sign confirms it displays a message or override (the gateway normally handles overrides and broadcasts it
    /// knows itself). A message is recorded as acked in the sign's state first. Returns what the ack was for
    /// (<see cref="AckedItem"/>), for the gateway to count in that item's tally, or null when the id was never sent to
    /// this sign. No tally grain is called from here, so a sign never waits on one.
    /// </summary>
    [Alias("Ack")]
    Task<string?> AckAsync(string messageId);

    /// <summary>
    /// The sign acked a broadcast message (to <c>all</c> or its zone; the gateway knew it): recorded in the sign's own
    /// state so it is never replayed again, shown as its latest message, and reported to dashboards (<c>message_ack</c>).
    /// </summary>
    [Alias("AckBroadcast")]
    Task AckBroadcastAsync(SignMessage message);

    /// <summary>
    /// Adds a message to the sign's durable queue of unacked messages and pushes it if the sign is connected;
    /// returns when it was sent, or null when it waits for the sign to connect (or had already expired).
    /// </summary>
    [Alias("Enqueue")]
    Task<DateTimeOffset?> EnqueueAsync(SignMessage message);

    /// <summary>Asks the connected sign to send a heartbeat now; false if it is not connected.</summary>
    [Alias("RequestStatus")]
    Task<bool> RequestStatusAsync();
}

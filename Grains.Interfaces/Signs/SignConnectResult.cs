using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// What a gateway needs when a sign connects: the sign (its zone and coordinates decide coverage), when it was last
/// seen before this connection (overrides that ended since then are cancelled on it), its unacked messages in order
/// (its own queue: messages to listed sign ids), and the broadcast messages it acked (the gateway replays the others).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignConnectResult")]
public sealed record SignConnectResult(
    [property: Id(0)] SignView View,
    [property: Id(1)] DateTimeOffset? PreviouslySeen,
    [property: Id(2)] IReadOnlyList<SignMessage> Replay,
    [property: Id(3)] IReadOnlyList<string>? AckedBroadcasts = null);

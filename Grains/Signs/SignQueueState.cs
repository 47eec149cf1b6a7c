using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The durable message queue of one sign: unacked messages to listed sign ids in send order, recent acks, what it
/// displays, and the broadcast messages (to <c>all</c> or a zone) it acked, so their replay derived from the fleet
/// registry skips them.
/// </summary>
[GenerateSerializer, Alias("CityArray.SignQueueState")]
public sealed class SignQueueState
{
    [Id(0)] public List<SignMessage> Pending { get; set; } = [];

    /// <summary>Ids acked lately (bounded), so a repeated ack is accepted rather than reported as unknown.</summary>
    [Id(1)] public List<string> RecentAcks { get; set; } = [];

    /// <summary>The latest message sent to the sign (<c>Since</c>: when that message was created or pushed).</summary>
    [Id(2)] public SignDisplay? Display { get; set; }

    /// <summary>Broadcast message ids this sign acked (bounded; those that left the registry are dropped).</summary>
    [Id(3)] public List<string> AckedBroadcasts { get; set; } = [];
}

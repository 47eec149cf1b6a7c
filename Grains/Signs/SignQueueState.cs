using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>The durable message queue of one sign: unacked messages in send order, recent acks, and what it displays.</summary>
[GenerateSerializer, Alias("CityArray.SignQueueState")]
public sealed class SignQueueState
{
    [Id(0)] public List<SignMessage> Pending { get; set; } = [];

    /// <summary>Ids acked lately (bounded), so a repeated ack is accepted rather than reported as unknown.</summary>
    [Id(1)] public List<string> RecentAcks { get; set; } = [];

    /// <summary>The latest message sent to the sign.</summary>
    [Id(2)] public SignDisplay? Display { get; set; }
}

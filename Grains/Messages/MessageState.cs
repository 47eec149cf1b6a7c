using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Messages;

/// <summary>The durable record of one message: its report fields and the delivery to each covered sign.</summary>
[GenerateSerializer, Alias("CityArray.MessageState")]
public sealed class MessageState
{
    [Id(0)] public SignMessage? Message { get; set; }
    [Id(1)] public MessageTarget? Target { get; set; }
    [Id(2)] public string? Language { get; set; }
    [Id(3)] public SortedDictionary<string, MessageDelivery> Deliveries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every covered sign has it queued (or, for a broadcast, the registry holds it); until then a repeated send finishes the job.</summary>
    [Id(4)] public bool Queued { get; set; }

    /// <summary>A message to <c>all</c> or a zone: one record in the fleet registry, no per-sign queue.</summary>
    [Id(5)] public bool Broadcast { get; set; }

    /// <summary>The broadcast left the registry (every covered sign acked it).</summary>
    [Id(6)] public bool Ended { get; set; }
}

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

    /// <summary>Every covered sign has it queued; until then a repeated send finishes the job.</summary>
    [Id(4)] public bool Queued { get; set; }
}

using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Overrides;

/// <summary>The durable record of one override: what it says, its target, its status and each covered sign's ack time (null: not acked).</summary>
[GenerateSerializer, Alias("CityArray.OverrideState")]
public sealed class OverrideState
{
    [Id(0)] public SignOverride? Override { get; set; }
    [Id(1)] public OverrideTarget? Target { get; set; }
    [Id(2)] public string Status { get; set; } = OverrideStatus.Active;
    [Id(3)] public DateTimeOffset? EndedAt { get; set; }
    [Id(4)] public SortedDictionary<string, DateTimeOffset?> Acks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every covered sign holds it and connected ones were told; until then a repeated activation finishes the job.</summary>
    [Id(5)] public bool Applied { get; set; }

    /// <summary>Every covered sign dropped it after it ended; until then a repeated cancel (or the expiry reminder) finishes the job.</summary>
    [Id(6)] public bool Removed { get; set; }

    /// <summary>The phone channels asked for (null: signs only), stored with the override in its first write.</summary>
    [Id(7)] public OverridePhones? Phones { get; set; }

    /// <summary>Phone channel → its phone alert id (null: nobody to reach). Complete once every channel is here.</summary>
    [Id(8)] public SortedDictionary<string, string?> PhoneAlerts { get; set; } = new(StringComparer.Ordinal);
}

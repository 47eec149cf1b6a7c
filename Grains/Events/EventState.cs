using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Events;

namespace CityArray.Grains.Events;

/// <summary>Stored state of an <see cref="EventGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.EventState")]
public sealed class EventState
{
    /// <summary>The event as created (status and end time updated); its participant count is computed on read.</summary>
    [Id(0)] public EventView? Event { get; set; }
    [Id(1)] public HashSet<string> Participants { get; set; } = [];

    /// <summary>Recent drops not yet known to be expired (claims live in the collectible grains).</summary>
    [Id(2)] public List<CollectibleView> Collectibles { get; set; } = [];
    [Id(3)] public DateTimeOffset? LastDropAt { get; set; }
}

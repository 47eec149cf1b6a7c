namespace CityArray.Grains;

/// <summary>Civic behaviour settings (env <c>COLLECTIBLE_DROP_INTERVAL_SECONDS</c>, <c>COLLECTIBLE_TTL_SECONDS</c>, <c>EVENT_MAX_HOURS</c>).</summary>
public sealed class CivicOptions
{
    /// <summary>How often a random collectible drops in each active event that has participants.</summary>
    public TimeSpan DropInterval { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a dropped collectible can be claimed.</summary>
    public TimeSpan CollectibleTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An event still active this long after its creation ends by itself, exactly as if its creator ended it
    /// (env <c>EVENT_MAX_HOURS</c>, default 24; tests set it directly).
    /// </summary>
    public TimeSpan MaxEventLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Chat rate limit: at most this many messages per user and event ...</summary>
    public int ChatMessagesPerWindow { get; set; } = 5;

    /// <summary>... within this sliding window.</summary>
    public TimeSpan ChatWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Manual drops: at most one per event in this interval (429 otherwise).</summary>
    public TimeSpan ManualDropInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Manual drops: refused (429) while the event has this many unexpired drops.</summary>
    public int MaxLiveCollectibles { get; set; } = 50;

    /// <summary>
    /// A search picks the finest indexed geohash precision whose covering has at most this many cells, else the coarsest
    /// (a cell call costs more than scanning a larger cell's latitude band, so few cells answer fastest).
    /// </summary>
    public int MaxSearchCells { get; set; } = 4;

    /// <summary>
    /// A search whose covering needs more cells than this even at the coarsest precision (a large circle near a
    /// pole, where cells are narrow) is refused as a 400 instead of fanning out to thousands of cell grains.
    /// </summary>
    public int MaxSearchFanout { get; set; } = 500;
}

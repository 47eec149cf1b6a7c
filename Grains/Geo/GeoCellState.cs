using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Geo;

/// <summary>
/// Stored state of a <see cref="GeoCellGrain"/>: event id to entry (position and the event as search shows it).
/// <see cref="Events"/> is the older layout (positions only); it is read on activation and no longer written.
/// </summary>
[GenerateSerializer, Alias("CityArray.GeoCellState")]
public sealed class GeoCellState
{
    [Id(0)] public Dictionary<string, GeoPoint> Events { get; set; } = [];

    [Id(1)] public Dictionary<string, GeoCellEntry> Entries { get; set; } = [];
}

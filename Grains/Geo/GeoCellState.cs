using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Geo;

/// <summary>
/// Stored state of a <see cref="GeoCellGrain"/>: the cell's events as three parallel arrays (id, longitude, latitude),
/// compact so a busy cell's group commit stays cheap. The event as search shows it is not stored (cells keep it in
/// memory; the event grain is its truth). <see cref="Events"/> (positions) and <see cref="Entries"/> (positions with
/// the event view) are older layouts: read on activation, no longer written.
/// </summary>
[GenerateSerializer, Alias("CityArray.GeoCellState")]
public sealed class GeoCellState
{
    [Id(0)] public Dictionary<string, GeoPoint> Events { get; set; } = [];

    [Id(1)] public Dictionary<string, GeoCellEntry> Entries { get; set; } = [];

    [Id(2)] public string[] Ids { get; set; } = [];

    [Id(3)] public double[] Longitudes { get; set; } = [];

    [Id(4)] public double[] Latitudes { get; set; } = [];
}

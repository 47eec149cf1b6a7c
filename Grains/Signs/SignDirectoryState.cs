using CityArray.Grains.Interfaces.Geo;

namespace CityArray.Grains.Signs;

/// <summary>The durable content of one directory shard: its sign ids, the zone index and each sign's coordinates.</summary>
[GenerateSerializer, Alias("CityArray.SignDirectoryState")]
public sealed class SignDirectoryState
{
    [Id(0)] public SortedSet<string> SignIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Zone name to the ids of the signs in it.</summary>
    [Id(1)] public Dictionary<string, SortedSet<string>> Zones { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sign id to its registered coordinates (signs without coordinates are absent).</summary>
    [Id(2)] public Dictionary<string, GeoPoint> Coordinates { get; set; } = new(StringComparer.Ordinal);
}

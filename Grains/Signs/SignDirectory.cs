using CityArray.Grains.Interfaces.Geo;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The sign directory is <see cref="Shards"/> <see cref="ISignDirectoryGrain"/>s keyed by a stable hash of the sign id:
/// a registration rewrites one shard (about 1/16 of the fleet), and fleet-wide reads ask every shard in parallel.
/// </summary>
public static class SignDirectory
{
    /// <summary>How many shards the directory has. Changing it moves signs between shards; the old shard keeps them (harmless: reads take the union).</summary>
    public const int Shards = 16;

    /// <summary>The shard of <paramref name="signId"/> (FNV-1a, stable across processes).</summary>
    public static int ShardOf(string signId)
    {
        var hash = 2166136261u;
        foreach (var c in signId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    /// <summary>Adds or updates a sign in its shard.</summary>
    public static Task UpsertAsync(IGrainFactory grains, string signId, string? zone, GeoPoint? coordinates) =>
        grains.GetGrain<ISignDirectoryGrain>(ShardOf(signId)).UpsertAsync(signId, zone, coordinates);

    /// <summary>Every known sign id, sorted.</summary>
    public static Task<IReadOnlyList<string>> GetAllAsync(IGrainFactory grains) => UnionAsync(grains, d => d.GetAllAsync());

    /// <summary>The signs of a zone, sorted.</summary>
    public static Task<IReadOnlyList<string>> GetZoneAsync(IGrainFactory grains, string zone) => UnionAsync(grains, d => d.GetZoneAsync(zone));

    /// <summary>The signs whose coordinates lie in an area, sorted.</summary>
    public static Task<IReadOnlyList<string>> GetInAreaAsync(IGrainFactory grains, OverrideArea area) => UnionAsync(grains, d => d.GetInAreaAsync(area));

    private static async Task<IReadOnlyList<string>> UnionAsync(IGrainFactory grains, Func<ISignDirectoryGrain, Task<IReadOnlyList<string>>> read)
    {
        var parts = await Task.WhenAll(Enumerable.Range(0, Shards).Select(i => read(grains.GetGrain<ISignDirectoryGrain>(i))));
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var part in parts) all.UnionWith(part);
        return all.ToArray();
    }
}

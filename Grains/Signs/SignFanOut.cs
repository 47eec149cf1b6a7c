using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// What messages and overrides share: resolving a target (<c>sign_ids</c>, <c>zone</c>, <c>all</c>) to sign ids
/// through the <see cref="ISignDirectoryGrain"/>, and calling many sign grains in parallel batches.
/// </summary>
public static class SignFanOut
{
    /// <summary>How many sign grains are called at once.</summary>
    public const int Batch = 500;

    /// <summary>The sign ids a target covers: every known sign, the signs of a zone, or the listed ids (deduplicated).</summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(IGrainFactory grains, IReadOnlyList<string>? signIds, string? zone, bool? all)
    {
        var directory = grains.GetGrain<ISignDirectoryGrain>(0);
        if (all == true) return await directory.GetAllAsync();
        if (zone is not null) return await directory.GetZoneAsync(zone);
        return (signIds ?? []).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Calls <paramref name="call"/> for every sign, <see cref="Batch"/> at a time (<c>Task.WhenAll</c> per batch); results in input order.</summary>
    public static async Task<T[]> CallAsync<T>(IReadOnlyList<string> signIds, Func<string, Task<T>> call)
    {
        var results = new T[signIds.Count];
        var offset = 0;
        foreach (var batch in signIds.Chunk(Batch))
        {
            var done = await Task.WhenAll(batch.Select(call));
            done.CopyTo(results, offset);
            offset += done.Length;
        }
        return results;
    }

    /// <summary>Calls <paramref name="call"/> for every sign, <see cref="Batch"/> at a time.</summary>
    public static async Task CallAsync(IReadOnlyList<string> signIds, Func<string, Task> call)
    {
        foreach (var batch in signIds.Chunk(Batch)) await Task.WhenAll(batch.Select(call));
    }
}

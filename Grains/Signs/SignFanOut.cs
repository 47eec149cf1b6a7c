using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// What messages and overrides share: resolving a target (<c>sign_ids</c>, <c>zone</c>, <c>all</c>) to sign ids
/// through the <see cref="SignDirectory"/> shards, and calling many sign grains in parallel batches.
/// </summary>
public static class SignFanOut
{
    /// <summary>How many sign grains are called at once.</summary>
    public const int Batch = 500;

    /// <summary>The sign ids a target covers: every known sign, the signs of a zone, or the listed ids (deduplicated).</summary>
    public static async Task<IReadOnlyList<string>> ResolveAsync(IGrainFactory grains, IReadOnlyList<string>? signIds, string? zone, bool? all)
    {
        if (all == true) return await SignDirectory.GetAllAsync(grains);
        if (zone is not null) return await SignDirectory.GetZoneAsync(grains, zone);
        return (signIds ?? []).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>How often one sign call is tried before that sign is reported as failed (the calls are idempotent).</summary>
    public const int Attempts = 3;

    /// <summary>
    /// Calls <paramref name="call"/> for every sign, <see cref="Batch"/> at a time (<c>Task.WhenAll</c> per batch),
    /// retrying a failed call; results in input order. One sign whose grain fails or is slow never fails the fan-out:
    /// it is listed in <see cref="FanOutResult{T}.Failed"/> (for the caller to retry in the background) and the others
    /// are reached. Every call must be idempotent.
    /// </summary>
    public static async Task<FanOutResult<T>> CallAsync<T>(IReadOnlyList<string> signIds, Func<string, Task<T>> call)
    {
        var results = new T?[signIds.Count];
        var failed = new List<string>();
        var offset = 0;
        foreach (var batch in signIds.Chunk(Batch))
        {
            var done = await Task.WhenAll(batch.Select(id => WithRetriesAsync(() => call(id))));
            for (var i = 0; i < done.Length; i++)
            {
                results[offset + i] = done[i].Value;
                if (!done[i].Ok) failed.Add(batch[i]);
            }
            offset += done.Length;
        }
        return new FanOutResult<T>(results, failed);
    }

    private static async Task<(T? Value, bool Ok)> WithRetriesAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await call(), true);
            }
            catch (Exception) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception)
            {
                return (default, false);
            }
        }
    }
}

using System.Collections.Concurrent;
using Orleans.Storage;

namespace CityArray.Tests.Civic;

/// <summary>
/// The civic test cluster's grain storage: memory storage that can be told to fail the next write of a matching
/// grain once (as a database hiccup would), and that counts the successful writes per grain.
/// </summary>
public sealed class FlakyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    // Per instance (one per test cluster), so two clusters' tests never see each other's failures or counts.
    private readonly ConcurrentDictionary<Guid, Func<GrainId, object?, bool>> _failures = new();
    private readonly ConcurrentDictionary<GrainId, int> _writes = new();

    /// <summary>Fails the next write of a grain matching <paramref name="match"/> (grain id, state being written).</summary>
    public void FailNextWrite(Func<GrainId, object?, bool> match) => _failures[Guid.NewGuid()] = match;

    /// <summary>Fails the next write of the grain whose primary key is <paramref name="key"/>.</summary>
    public void FailNextWrite(string key) => FailNextWrite((id, _) => id.Key.ToString() == key);

    /// <summary>Successful writes of the grain whose primary key is <paramref name="key"/>, over all grain types.</summary>
    public int WritesOf(string key) => _writes.Where(w => w.Key.Key.ToString() == key).Sum(w => w.Value);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        foreach (var (key, match) in _failures)
        {
            if (match(grainId, grainState.State) && _failures.TryRemove(key, out _))
                throw new IOException($"injected write failure for {grainId}");
        }
        await inner.WriteStateAsync(stateName, grainId, grainState);
        _writes.AddOrUpdate(grainId, 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

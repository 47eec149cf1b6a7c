using Orleans.Storage;

namespace CityArray.Grains;

/// <summary>
/// A grain storage provider that reads several named states of one grain in one round trip (the embedded SQLite store
/// does); <see cref="GrainStates"/> uses it when the provider offers it.
/// </summary>
public interface IGrainStatesReader
{
    /// <summary>Fills each of <paramref name="states"/> of <paramref name="grainId"/> as <see cref="IGrainStorage.ReadStateAsync{T}"/> would, in one round trip.</summary>
    Task ReadStatesAsync(GrainId grainId, IReadOnlyList<IReadableState> states);
}

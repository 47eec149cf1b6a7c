using Microsoft.Extensions.DependencyInjection;
using Orleans.Core;
using Orleans.Storage;

namespace CityArray.Grains;

/// <summary>
/// The named states of one grain, read together when it activates (at the same lifecycle stage as
/// <c>[PersistentState]</c>, so before <c>OnActivateAsync</c>): one storage round trip where the provider reads several
/// states at once (<see cref="IGrainStatesReader"/>, the embedded SQLite store), one read per state otherwise. Each state
/// is an ordinary <see cref="IPersistentState{T}"/> afterwards, written and cleared on its own. For a grain with several
/// states on a hot activation path (a sign: its state, queue and metrics, activated by the thousand in a connect storm).
/// </summary>
public sealed class GrainStates
{
    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly List<IReadableState> _states = [];

    public GrainStates(IGrainContext context, string storageName)
    {
        _storage = context.ActivationServices.GetRequiredKeyedService<IGrainStorage>(storageName);
        _grainId = context.GrainId;
        context.ObservableLifecycle.Subscribe(nameof(GrainStates), GrainLifecycleStage.SetupState, ReadAllAsync);
    }

    /// <summary>Adds the state named <paramref name="stateName"/>; it is read with the others when the grain activates.</summary>
    public IPersistentState<T> Add<T>(string stateName) where T : new()
    {
        var state = new StoredState<T>(_storage, stateName, _grainId);
        _states.Add(state);
        return state;
    }

    private Task ReadAllAsync(CancellationToken cancellationToken) =>
        _storage is IGrainStatesReader reader
            ? reader.ReadStatesAsync(_grainId, _states)
            : Task.WhenAll(_states.Select(s => ((IStorage)s).ReadStateAsync(cancellationToken)));

    /// <summary>One state of the group: <see cref="IPersistentState{T}"/> over the group's storage.</summary>
    private sealed class StoredState<T>(IGrainStorage storage, string stateName, GrainId grainId)
        : IPersistentState<T>, IGrainState<T>, IReadableState where T : new()
    {
        [System.Diagnostics.CodeAnalysis.AllowNull]
        public T State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
        public string StateName => stateName;
        string? IStorage.Etag => ETag;

        public void Load(IGrainStorageSerializer serializer, BinaryData? payload, string? etag)
        {
            State = payload is null ? new T() : serializer.Deserialize<T>(payload) ?? new T();
            ETag = etag;
            RecordExists = payload is not null;
        }

        public Task ReadStateAsync() => storage.ReadStateAsync(stateName, grainId, this);
        public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, this);
        public async Task ClearStateAsync()
        {
            await storage.ClearStateAsync(stateName, grainId, this);
            State = new T(); // as Orleans' own persistent state does after a clear
        }
        public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();
        public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();
        public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
    }
}

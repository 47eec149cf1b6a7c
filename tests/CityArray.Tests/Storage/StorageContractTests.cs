using CityArray.Grains;

namespace CityArray.Tests.Storage;

/// <summary>
/// The storage contract every CityArray backend must keep, written once and run against the providers a real
/// silo host registers (grain storage by name, the reminder table).
/// </summary>
public abstract partial class StorageContractTests<TFixture> : IClassFixture<TFixture>
    where TFixture : StorageHostFixture
{
    protected StorageContractTests(TFixture fixture) => Fixture = fixture;

    protected TFixture Fixture { get; }

    protected const string StateName = "contract";

    protected static GrainId NewGrainId(string type = "contract-grain") => GrainId.Create(type, Guid.NewGuid().ToString("N"));

    protected Task<Orleans.Storage.IGrainStorage> GrainsAsync() => Fixture.GetStorageAsync(StorageNames.Grains);

    protected static GrainState<ContractState> Empty() => new();

    protected static async Task<GrainState<ContractState>> ReadAsync(Orleans.Storage.IGrainStorage storage, GrainId grainId, string stateName = StateName)
    {
        var state = Empty();
        await storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    /// <summary>Writes <c>ContractState.Sample(name, count)</c> as a fresh grain's first state; the state carries the ETag it got.</summary>
    protected static async Task<(GrainId GrainId, GrainState<ContractState> State)> WriteNewAsync(
        Orleans.Storage.IGrainStorage storage, string name, int count)
    {
        var grainId = NewGrainId();
        var state = new GrainState<ContractState>(ContractState.Sample(name, count));
        await storage.WriteStateAsync(StateName, grainId, state);
        return (grainId, state);
    }

    protected static GrainState<ContractState> Copy(GrainState<ContractState> state) =>
        new(state.State, state.ETag) { RecordExists = state.RecordExists };

    protected static void AssertSame(ContractState? expected, ContractState? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Scores.OrderBy(p => p.Key), actual.Scores.OrderBy(p => p.Key));
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.UpdatedAt.Offset, actual.UpdatedAt.Offset);
    }
}

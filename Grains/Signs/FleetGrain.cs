using CityArray.Grains.Interfaces.Signs;
using Orleans.Concurrency;

namespace CityArray.Grains.Signs;

/// <summary>Reads the whole fleet from the <see cref="IFleetSnapshotGrain"/> (one call, no call per sign).</summary>
[StatelessWorker]
[Reentrant] // holds no state: a call waiting on its downstream grain must not hold one of the few local workers
public sealed class FleetGrain : Grain, IFleetGrain
{
    public Task<IReadOnlyList<SignView>> GetAllSignsAsync() => GrainFactory.GetGrain<IFleetSnapshotGrain>(0).GetAllAsync();
}

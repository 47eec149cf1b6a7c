using CityArray.Grains.Interfaces.Signs;
using Orleans.Concurrency;

namespace CityArray.Grains.Signs;

/// <summary>Reads the whole fleet by asking every sign grain in parallel; stateless, so it scales out per silo.</summary>
[StatelessWorker]
public sealed class FleetGrain : Grain, IFleetGrain
{
    public async Task<IReadOnlyList<SignView>> GetAllSignsAsync()
    {
        var ids = await GrainFactory.GetGrain<ISignDirectoryGrain>(0).GetAllAsync();
        var views = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ISignGrain>(id).GetAsync()));
        return views.OfType<SignView>().ToArray();
    }
}

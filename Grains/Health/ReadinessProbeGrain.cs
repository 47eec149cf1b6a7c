using CityArray.Grains.Interfaces.Health;

namespace CityArray.Grains.Health;

/// <summary>Writes a small record on each probe so <c>/ready</c> fails when storage is not writable.</summary>
public sealed class ReadinessProbeGrain(
    [PersistentState("readiness", StorageNames.Grains)] IPersistentState<ReadinessProbeState> state,
    CityArrayClock clock) : Grain, IReadinessProbeGrain
{
    public async Task<DateTimeOffset> ProbeAsync()
    {
        state.State.LastProbe = clock.GetUtcNow();
        await state.WriteStateAsync();
        return state.State.LastProbe;
    }
}

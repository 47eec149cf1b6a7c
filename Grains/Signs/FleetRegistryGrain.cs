using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The fleet registry of active overrides (state <c>fleet-registry</c>): one small record per active override, read by
/// gateways on (re)registration and by sign grains through <see cref="FleetRegistryCache"/>. Ended overrides are kept a
/// while (the last <see cref="EndedKept"/>, at most <see cref="EndedFor"/>) so a sign that was away when one ended is told.
/// A failed write rolls the change back.
/// </summary>
public sealed class FleetRegistryGrain(
    [PersistentState("fleet-registry", StorageNames.Grains)] IPersistentState<FleetRegistryState> state,
    FleetRegistryCache cache,
    CityArrayClock clock)
    : Grain, IFleetRegistryGrain
{
    /// <summary>How many ended overrides are kept.</summary>
    public const int EndedKept = 200;

    /// <summary>How long an ended override is kept.</summary>
    public static readonly TimeSpan EndedFor = TimeSpan.FromDays(7);

    private FleetRegistryState S => state.State;

    public async Task<FleetRegistryView> AddOverrideAsync(ActiveOverride value)
    {
        var id = value.Override.OverrideId;
        if (S.Active.Any(a => a.Override.OverrideId == id) || S.RecentlyEnded.Any(a => a.Override.OverrideId == id)) return View();
        S.Active.Add(value with { EndedAt = null });
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.Active.RemoveAll(a => a.Override.OverrideId == id);
            S.Version--;
            throw;
        }
        return Publish();
    }

    public async Task<ActiveOverride?> EndOverrideAsync(string overrideId, DateTimeOffset endedAt)
    {
        var index = S.Active.FindIndex(a => a.Override.OverrideId == overrideId);
        if (index < 0) return null;
        var before = (Active: S.Active.ToList(), Ended: S.RecentlyEnded.ToList());
        var ended = S.Active[index] with { EndedAt = endedAt };
        S.Active.RemoveAt(index);
        S.RecentlyEnded.Add(ended);
        var now = clock.GetUtcNow();
        S.RecentlyEnded.RemoveAll(e => e.EndedAt < now - EndedFor);
        if (S.RecentlyEnded.Count > EndedKept) S.RecentlyEnded.RemoveRange(0, S.RecentlyEnded.Count - EndedKept);
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.Active = before.Active;
            S.RecentlyEnded = before.Ended;
            S.Version--;
            throw;
        }
        Publish();
        return ended;
    }

    public Task<FleetRegistryView> GetAsync() => Task.FromResult(Publish());

    private FleetRegistryView Publish()
    {
        var view = View();
        cache.Offer(view);
        return view;
    }

    private FleetRegistryView View() => new(S.Active.ToArray(), S.RecentlyEnded.ToArray(), S.Version);
}

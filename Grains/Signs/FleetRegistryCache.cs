using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// A per-silo copy of the fleet registry, so sign grains can show their override (<c>current_display</c>) and route an
/// override ack without calling the registry each time. Refreshed at most once per <see cref="MaxAge"/> on use, and at
/// once when the registry grain runs in this silo.
/// </summary>
public sealed class FleetRegistryCache(CityArrayClock clock)
{
    /// <summary>How stale the copy may get before a use refreshes it (in the background).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private FleetRegistryView _view = new([], [], -1);
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private bool _fetching;

    /// <summary>The copy as it is now.</summary>
    public FleetRegistryView Current
    {
        get { lock (_gate) return _view; }
    }

    /// <summary>Takes <paramref name="view"/> if it is newer than the copy.</summary>
    public void Offer(FleetRegistryView view)
    {
        lock (_gate)
        {
            if (view.Version >= _view.Version) _view = view;
            _fetchedAt = clock.GetUtcNow();
        }
    }

    /// <summary>The copy, after fetching it first if it has never been fetched; starts a background refresh if it is stale.</summary>
    public async Task<FleetRegistryView> GetAsync(IGrainFactory grains)
    {
        bool first, refresh;
        lock (_gate)
        {
            first = _view.Version < 0;
            refresh = !_fetching && clock.GetUtcNow() - _fetchedAt > MaxAge;
            if (refresh) _fetching = true;
        }
        if (!refresh) return Current;
        var fetch = FetchAsync(grains);
        if (first) await fetch;
        return Current;
    }

    private async Task FetchAsync(IGrainFactory grains)
    {
        try
        {
            Offer(await grains.GetGrain<IFleetRegistryGrain>(0).GetAsync());
        }
        catch
        {
            // Keep the copy we have; the next use tries again.
        }
        finally
        {
            lock (_gate) _fetching = false;
        }
    }
}

using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The live gateways, in memory only (observer references do not outlive a restart anyway): gateways register at start,
/// when they regain the cluster, and every few seconds; an entry not refreshed for <see cref="Expiry"/> is dropped.
/// </summary>
public sealed class GatewayDirectoryGrain(CityArrayClock clock) : Grain, IGatewayDirectoryGrain
{
    /// <summary>A gateway that has not refreshed for this long is considered gone.</summary>
    /// <remarks>A gateway killed without a word is then no longer called (each call to its observer would wait out a timeout);
    /// live gateways refresh every 2 s, and one that misses this many refreshes registers anew and catches up.</remarks>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, (IGatewayObserver Observer, DateTimeOffset Seen)> _gateways = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Stay active while gateways refresh; nothing is stored, so an idle collection would only cost a re-registration.
        DelayDeactivation(TimeSpan.FromDays(1));
        return Task.CompletedTask;
    }

    public Task<bool> RegisterAsync(string gatewayId, IGatewayObserver observer)
    {
        var isNew = !_gateways.ContainsKey(gatewayId);
        _gateways[gatewayId] = (observer, clock.GetUtcNow());
        return Task.FromResult(isNew);
    }

    public Task UnregisterAsync(string gatewayId)
    {
        _gateways.Remove(gatewayId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IGatewayObserver>> GetAllAsync()
    {
        var oldest = clock.GetUtcNow() - Expiry;
        foreach (var stale in _gateways.Where(g => g.Value.Seen < oldest).Select(g => g.Key).ToArray()) _gateways.Remove(stale);
        return Task.FromResult<IReadOnlyList<IGatewayObserver>>(_gateways.Values.Select(g => g.Observer).ToArray());
    }
}

using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The live gateways, in memory only (observer references do not outlive a restart anyway): gateways register at start,
/// when they regain the cluster, and every few seconds; an entry not refreshed for <see cref="Expiry"/> is dropped.
/// </summary>
public sealed class GatewayDirectoryGrain(CityArrayClock clock) : Grain, IGatewayDirectoryGrain
{
    /// <summary>A gateway that has not refreshed for this long is considered gone.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

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

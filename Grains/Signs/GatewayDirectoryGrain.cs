using CityArray.Grains.Interfaces.Signs;

namespace CityArray.Grains.Signs;

/// <summary>
/// The live gateways, in memory only (observer references do not outlive a restart anyway): gateways register at start,
/// when they regain the cluster, and every few seconds; an entry not refreshed for <see cref="Expiry"/> is dropped.
/// It also tells a gateway when a silo died since its last registration: the sign grains that lived there were
/// re-activated elsewhere without knowing their sockets, and a sign that stays silent would never be pushed to again.
/// </summary>
public sealed class GatewayDirectoryGrain(CityArrayClock clock, IClusterMembershipService membership) : Grain, IGatewayDirectoryGrain
{
    /// <summary>A gateway that has not refreshed for this long is considered gone.</summary>
    /// <remarks>A gateway killed without a word is then no longer called (each call to its observer would wait out a timeout);
    /// live gateways refresh every 2 s, and one that misses this many refreshes registers anew and catches up.</remarks>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, Entry> _gateways = new(StringComparer.Ordinal);

    /// <summary>Silos seen dead (or gone from the membership) since this activation; their count is the loss epoch.</summary>
    private readonly HashSet<SiloAddress> _lost = [];
    private HashSet<SiloAddress> _alive = [];
    private MembershipVersion _seenVersion = MembershipVersion.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Stay active while gateways refresh; nothing is stored, so an idle collection would only cost a re-registration.
        DelayDeactivation(TimeSpan.FromDays(1));
        _alive = Alive(membership.CurrentSnapshot);
        _seenVersion = membership.CurrentSnapshot.Version;
        return Task.CompletedTask;
    }

    public Task<GatewayRegistration> RegisterAsync(string gatewayId, IGatewayObserver observer)
    {
        var losses = Losses();
        var known = _gateways.TryGetValue(gatewayId, out var entry);
        _gateways[gatewayId] = new Entry(observer, clock.GetUtcNow(), losses);
        return Task.FromResult(new GatewayRegistration(known, known && entry!.Losses < losses));
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

    /// <summary>How many silos that were alive during this activation have died (or left) so far.</summary>
    private int Losses()
    {
        var snapshot = membership.CurrentSnapshot;
        if (snapshot.Version == _seenVersion) return _lost.Count;
        _seenVersion = snapshot.Version;
        var alive = Alive(snapshot);
        foreach (var silo in _alive)
            if (!alive.Contains(silo)) _lost.Add(silo);
        _alive = alive;
        return _lost.Count;
    }

    private static HashSet<SiloAddress> Alive(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.Created)
            .Select(m => m.SiloAddress).ToHashSet();

    private sealed record Entry(IGatewayObserver Observer, DateTimeOffset Seen, int Losses);
}

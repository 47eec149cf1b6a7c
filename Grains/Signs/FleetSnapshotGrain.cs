using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Timers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Signs;

/// <summary>
/// The latest view of every sign, in memory, fed by the sign grains' dashboard events (batched per silo by
/// <see cref="DashboardPushGrain"/>, <see cref="UpdateManyAsync"/>). A dashboard connect, <c>GET /api/signs</c> or an override's tally is one call here. On activation
/// (a silo restart) every sign not heard from yet is loaded once from the directory and its grain
/// (<see cref="SignFanOut.Batch"/> at a time); past 15 s it answers with what it has while the load goes on.
/// What each sign shows (its override, or a broadcast message) is cached per sign and worked out again for one sign on
/// its update, and for the fleet only when the registry changes or an entry of it expires: O(changes), not O(fleet) per read.
/// It is also the fleet's durable liveness backstop, with one reminder for the whole fleet instead of one per sign: each
/// silo wakes it at start and its reminder re-activates it after a loss, its load activates every sign grain (a sign
/// stored online re-arms its own offline timer), and every timeout it pokes the signs still shown online well past their
/// deadline (their timer died with a silo while their socket's gateway died too).
/// </summary>
public sealed class FleetSnapshotGrain(
    FleetRegistryCache registry, CityArrayClock clock, IOptions<SignageOptions> options, ILogger<FleetSnapshotGrain> logger)
    : Grain, IFleetSnapshotGrain, IRemindable
{
    private const string SweepReminder = "liveness-sweep";

    private readonly Dictionary<string, SignView> _views = new(StringComparer.Ordinal);

    /// <summary>Each sign's view with what it shows now (overrides and broadcasts applied), sorted by id.</summary>
    private readonly SortedDictionary<string, SignView> _shown = new(StringComparer.Ordinal);
    private SignView[]? _sorted;

    /// <summary>The registry version <see cref="_shown"/> was worked out for, and when its earliest override or broadcast expires.</summary>
    private long _shownFor = long.MinValue;
    private DateTimeOffset _shownUntil = DateTimeOffset.MaxValue;

    /// <summary>Each sign's last display that was not an override (what it shows again when an override ends).</summary>
    private readonly Dictionary<string, SignDisplay> _underneath = new(StringComparer.Ordinal);

    /// <summary>How long an activation waits for the initial load before it answers with what it has (the load goes on).</summary>
    private static readonly TimeSpan InitialLoadWait = TimeSpan.FromSeconds(15);

    /// <summary>Every timeout, and at least every 5 s.</summary>
    private TimeSpan SweepPeriod => options.Value.OfflineAfter > TimeSpan.FromSeconds(5) ? options.Value.OfflineAfter : TimeSpan.FromSeconds(5);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(1));
        await ReminderBackstop.RegisterOrLogAsync(this, SweepReminder, TimeSpan.FromMinutes(1), SweepPeriod, TimeSpan.FromMinutes(1), logger);
        ReminderBackstop.Every(this, SweepPeriod, _ => SweepAsync());
        try
        {
            await LoadAsync().WaitAsync(InitialLoadWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The fleet snapshot is still loading; answering with the signs loaded so far");
        }
    }

    /// <summary>One sign changed: only its shown view is worked out again (cost: the active overrides and broadcasts, not the fleet).</summary>
    public Task UpdateAsync(SignView view)
    {
        Take(view);
        _sorted = null;
        return Task.CompletedTask;
    }

    /// <summary>A silo's batch of sign views (oldest first): each is taken as by <see cref="UpdateAsync"/>.</summary>
    public Task UpdateManyAsync(SignView[] views)
    {
        foreach (var view in views) Take(view);
        _sorted = null;
        return Task.CompletedTask;
    }

    private void Take(SignView view)
    {
        _views[view.Id] = view;
        if (view.CurrentDisplay is { Kind: not "override" } display) _underneath[view.Id] = display;
        _shown[view.Id] = WithDisplay(view, registry.Current, clock.GetUtcNow());
    }

    /// <summary>
    /// Every sign's view, with what it shows now worked out from the active overrides and broadcast messages (they reach
    /// many signs without calling their grains, so their last published views may predate them or their end). The whole
    /// fleet is worked out again only when the registry changed or one of its entries expired; otherwise this is the cached
    /// array (rebuilt from the per-sign cache after sign updates, without any coverage work).
    /// </summary>
    public async Task<IReadOnlyList<SignView>> GetAllAsync()
    {
        var active = await registry.GetAsync(GrainFactory);
        var now = clock.GetUtcNow();
        if (active.Version != _shownFor || now >= _shownUntil)
        {
            foreach (var view in _views.Values) _shown[view.Id] = WithDisplay(view, active, now);
            _shownFor = active.Version;
            _shownUntil = active.Active.Select(a => a.Override.ExpiresAt).Concat(active.ActiveBroadcasts.Select(b => b.Message.ExpiresAt))
                .OfType<DateTimeOffset>().Where(e => e > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            _sorted = null;
        }
        return _sorted ??= _shown.Values.ToArray();
    }

    private SignView WithDisplay(SignView view, FleetRegistryView registry, DateTimeOffset now)
    {
        var shown = Overrides.OverrideCoverage.Shown(registry.Active, new SignProfile(view.Id, view.Zone, view.Coordinates), now);
        if (shown is not null)
            return view.CurrentDisplay is { Kind: "override" } d && d.Id == shown.OverrideId
                ? view
                : view with { CurrentDisplay = new SignDisplay("override", shown.OverrideId, shown.Text, shown.CreatedAt) };
        // The override the view was published with has ended: the sign is back to its message, or idle.
        var own = view.CurrentDisplay is { Kind: "override" } ? _underneath.GetValueOrDefault(view.Id) : view.CurrentDisplay;
        if (own is { Kind: "idle" }) own = null;
        // A broadcast message reached the sign if it is connected now (pushed) or it already showed it.
        var display = SignShown.WithBroadcasts(own, registry, new SignProfile(view.Id, view.Zone, view.Coordinates), now,
            m => view.Connected || view.CurrentDisplay?.Id == m.MessageId) ?? new SignDisplay("idle", null, null, null);
        return display == view.CurrentDisplay ? view : view with { CurrentDisplay = display };
    }

    public Task WakeAsync() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == SweepReminder ? SweepAsync() : Task.CompletedTask;

    /// <summary>
    /// Pokes (one-way) each sign shown online a whole sweep period past its offline deadline: its own timer would have
    /// reported it by then, so that timer is gone; the poke re-activates the grain, which checks and reports itself.
    /// </summary>
    private Task SweepAsync()
    {
        var stale = clock.GetUtcNow() - options.Value.OfflineAfter - SweepPeriod;
        var poked = 0;
        foreach (var view in _views.Values)
        {
            if (view.Status != SignStatus.Online || view.LastSeen is not { } seen || seen >= stale) continue;
            GrainFactory.GetGrain<ISignGrain>(view.Id).CheckLivenessAsync().Ignore();
            poked++;
        }
        if (poked > 0) logger.LogInformation("Liveness sweep: {Count} signs silent past their deadline were asked to check themselves", poked);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetUnreachableAsync(IReadOnlyList<string> signIds) =>
        Task.FromResult<IReadOnlyList<string>>(signIds
            .Where(id => !_views.TryGetValue(id, out var v) || v is not { Connected: true, Status: SignStatus.Online }).ToArray());

    private async Task LoadAsync()
    {
        try
        {
            var ids = await SignDirectory.GetAllAsync(GrainFactory);
            var missing = ids.Where(id => !_views.ContainsKey(id)).ToArray();
            await registry.GetAsync(GrainFactory);
            foreach (var batch in missing.Chunk(SignFanOut.Batch))
            {
                var views = await Task.WhenAll(batch.Select(async id =>
                {
                    try { return await GrainFactory.GetGrain<ISignGrain>(id).GetAsync(); }
                    catch (Exception e)
                    {
                        logger.LogWarning(e, "Could not load sign {SignId} into the fleet snapshot", id);
                        return null;
                    }
                }));
                // A sign that reported meanwhile is newer than what we read.
                foreach (var view in views.OfType<SignView>())
                    if (!_views.ContainsKey(view.Id)) Take(view);
                _sorted = null;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not load the fleet snapshot from the sign directory");
        }
    }
}

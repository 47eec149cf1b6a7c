using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>
/// The latest view of every sign, in memory, fed by the sign grains (one-way <see cref="UpdateAsync"/> with each
/// dashboard event). A dashboard connect, <c>GET /api/signs</c> or an override's tally is one call here. On activation
/// (a silo restart) every sign not heard from yet is loaded once from the directory and its grain
/// (<see cref="SignFanOut.Batch"/> at a time); past 15 s it answers with what it has while the load goes on.
/// </summary>
public sealed class FleetSnapshotGrain(FleetRegistryCache registry, CityArrayClock clock, ILogger<FleetSnapshotGrain> logger)
    : Grain, IFleetSnapshotGrain
{
    private readonly Dictionary<string, SignView> _views = new(StringComparer.Ordinal);
    private SignView[]? _sorted;
    private FleetRegistryView? _sortedFor;

    /// <summary>Each sign's last display that was not an override (what it shows again when an override ends).</summary>
    private readonly Dictionary<string, SignDisplay> _underneath = new(StringComparer.Ordinal);

    /// <summary>How long an activation waits for the initial load before it answers with what it has (the load goes on).</summary>
    private static readonly TimeSpan InitialLoadWait = TimeSpan.FromSeconds(15);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DelayDeactivation(TimeSpan.FromDays(1));
        try
        {
            await LoadAsync().WaitAsync(InitialLoadWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("The fleet snapshot is still loading; answering with the signs loaded so far");
        }
    }

    public Task UpdateAsync(SignView view)
    {
        _views[view.Id] = view;
        if (view.CurrentDisplay is { Kind: not "override" } display) _underneath[view.Id] = display;
        _sorted = null;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every sign's view, with what it shows now worked out from the active overrides (an override reaches many signs
    /// without calling their grains, so their last published views may predate it or its end).
    /// </summary>
    public async Task<IReadOnlyList<SignView>> GetAllAsync()
    {
        var active = await registry.GetAsync(GrainFactory);
        if (_sorted is null || !ReferenceEquals(_sortedFor, active) || active.Active.Count > 0)
        {
            var now = clock.GetUtcNow();
            _sorted = _views.Values.OrderBy(v => v.Id, StringComparer.Ordinal).Select(v => WithDisplay(v, active, now)).ToArray();
            _sortedFor = active;
        }
        return _sorted;
    }

    private SignView WithDisplay(SignView view, FleetRegistryView registry, DateTimeOffset now)
    {
        var shown = Overrides.OverrideCoverage.Shown(registry.Active, new SignProfile(view.Id, view.Zone, view.Coordinates), now);
        if (shown is not null)
            return view.CurrentDisplay is { Kind: "override" } d && d.Id == shown.OverrideId
                ? view
                : view with { CurrentDisplay = new SignDisplay("override", shown.OverrideId, shown.Text, shown.CreatedAt) };
        // The override the view was published with has ended: the sign is back to its message, or idle.
        return view.CurrentDisplay is { Kind: "override" }
            ? view with { CurrentDisplay = _underneath.GetValueOrDefault(view.Id) ?? new SignDisplay("idle", null, null, null) }
            : view;
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
                foreach (var view in views.OfType<SignView>()) _views.TryAdd(view.Id, view);
                _sorted = null;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not load the fleet snapshot from the sign directory");
        }
    }
}

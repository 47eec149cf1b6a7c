using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Signs;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Signs;

/// <summary>
/// The fleet registry of active overrides (state <c>fleet-registry</c>): one small record per active override, read by
/// gateways on (re)registration and by sign grains through <see cref="FleetRegistryCache"/>. Ended overrides are kept a
/// while (the last <see cref="EndedKept"/>, at most <see cref="EndedFor"/>) so a sign that was away when one ended is told.
/// It also holds the active broadcast messages (to <c>all</c> or a zone): one record each, from which gateways derive
/// every sign's delivery and replay; expired ones leave at their expiry (a one-shot timer; never shown after it), at most
/// <see cref="BroadcastsKept"/> are kept (the oldest gives way, as in a sign's own queue). A failed write rolls the change back.
/// </summary>
public sealed class FleetRegistryGrain(
    [PersistentState("fleet-registry", StorageNames.Grains)] IPersistentState<FleetRegistryState> state,
    FleetRegistryCache cache,
    CityArrayClock clock,
    ILogger<FleetRegistryGrain> logger)
    : Grain, IFleetRegistryGrain
{
    /// <summary>How many broadcast messages may be active at once; past that the oldest gives way.</summary>
    public const int BroadcastsKept = 500;

    /// <summary>How many ended overrides are kept.</summary>
    public const int EndedKept = 200;

    /// <summary>How long an ended override is kept.</summary>
    public static readonly TimeSpan EndedFor = TimeSpan.FromDays(7);

    private FleetRegistryState S => state.State;

    private IGrainTimer? _expiryTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmBroadcastExpiry();
        return Task.CompletedTask;
    }

    /// <summary>A one-shot timer at the earliest broadcast expiry, so expired broadcasts leave the registry on time (at most a day ahead; re-armed).</summary>
    private void ArmBroadcastExpiry()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        var next = S.Broadcasts.Select(b => b.Message.ExpiresAt).OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue) return;
        var due = next - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (due > TimeSpan.FromDays(1)) due = TimeSpan.FromDays(1);
        _expiryTimer = this.RegisterGrainTimer(
            static (grain, _) => grain.DropExpiredAsync(),
            this,
            new GrainTimerCreationOptions { DueTime = due + TimeSpan.FromMilliseconds(50), Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
    }

    private async Task DropExpiredAsync()
    {
        var before = S.Broadcasts.ToList();
        if (S.Broadcasts.RemoveAll(b => b.Message.IsExpired(clock.GetUtcNow())) > 0)
        {
            try
            {
                await WriteOrRollBackAsync(before);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not drop expired broadcasts from the fleet registry; retrying");
                _expiryTimer = this.RegisterGrainTimer(
                    static (grain, _) => grain.DropExpiredAsync(),
                    this,
                    new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(5), Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
                return;
            }
        }
        ArmBroadcastExpiry();
    }

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

    public async Task<IReadOnlyList<string>> AddBroadcastAsync(ActiveBroadcast value)
    {
        var id = value.Message.MessageId;
        if (S.Broadcasts.Any(b => b.Message.MessageId == id)) return [];
        var before = S.Broadcasts.ToList();
        S.Broadcasts.RemoveAll(b => b.Message.IsExpired(clock.GetUtcNow()));
        S.Broadcasts.Add(value);
        var evicted = new List<string>();
        while (S.Broadcasts.Count > BroadcastsKept)
        {
            evicted.Add(S.Broadcasts[0].Message.MessageId);
            S.Broadcasts.RemoveAt(0);
        }
        if (evicted.Count > 0)
            logger.LogWarning("Over {Cap} active broadcast messages: the oldest ({Ids}) gave way", BroadcastsKept, string.Join(", ", evicted));
        await WriteOrRollBackAsync(before);
        return evicted;
    }

    public async Task EndBroadcastAsync(string messageId)
    {
        var before = S.Broadcasts.ToList();
        var removed = S.Broadcasts.RemoveAll(b => b.Message.MessageId == messageId || b.Message.IsExpired(clock.GetUtcNow()));
        if (removed == 0) return;
        await WriteOrRollBackAsync(before);
    }

    private async Task WriteOrRollBackAsync(List<ActiveBroadcast> before)
    {
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            S.Broadcasts = before;
            S.Version--;
            throw;
        }
        Publish();
        ArmBroadcastExpiry();
    }

    public Task<FleetRegistryView> GetAsync() => Task.FromResult(Publish());

    private FleetRegistryView Publish()
    {
        var view = View();
        cache.Offer(view);
        return view;
    }

    private FleetRegistryView View()
    {
        var now = clock.GetUtcNow();
        return new(S.Active.ToArray(), S.RecentlyEnded.ToArray(), S.Version, S.Broadcasts.Where(b => !b.Message.IsExpired(now)).ToArray());
    }
}

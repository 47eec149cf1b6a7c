using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;
using CityArray.Grains.Retention;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Concurrency;
using CityArray.Grains.Interfaces.Collectibles;
using CityArray.Grains.Interfaces.Users;

namespace CityArray.Grains.Collectibles;

/// <summary>
/// One collectible. The first valid claim wins; it is stored before success is reported, then added to the winner's
/// inventory (idempotent, and repeated when the winner retries). Calls interleave so a claim storm is not
/// serialized behind each winner's user lookup and inventory write: the check-and-set of the winner happens in one
/// turn, and every claim that arrives while the winner's write is in flight waits for that write's outcome (a failed
/// write reopens the collectible) before it is answered, so no answer ever reports anything not stored.
/// </summary>
[Reentrant]
public sealed class CollectibleGrain(
    [PersistentState("collectible", StorageNames.Grains)] IPersistentState<CollectibleState> state,
    CityArrayClock clock,
    ILogger<CollectibleGrain> logger,
    IOptions<RetentionOptions> retention,
    IOptions<ReminderOptions> reminders) : Grain, ICollectibleGrain, IRemindable
{
    /// <summary>Retention: the state is cleared <see cref="RetentionOptions.Collectibles"/> after the collectible expired.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetentionReminder.Name) return;
        await SettledAsync();
        if (state.State.Collectible is { } c && clock.GetUtcNow() < c.ExpiresAt + retention.Value.Collectibles) return;
        await state.ClearStateAsync();
        state.State = new CollectibleState();
        await RetentionReminder.DoneAsync(this);
        DeactivateOnIdle();
    }
    private Task? _claimWrite;

    public async Task<CollectibleView> CreateAsync(CollectibleView collectible)
    {
        await SettledAsync();
        if (state.State.Collectible is { } existing) return Current(existing);
        state.State.Collectible = collectible with { Id = this.GetPrimaryKeyString(), Status = CollectibleStatus.Active, ClaimedBy = null, ClaimedAt = null };
        await state.WriteOrRollbackAsync(() => state.State.Collectible = null);
        await RetentionReminder.ScheduleAsync(this, collectible.ExpiresAt + retention.Value.Collectibles, reminders.Value, clock);
        return state.State.Collectible;
    }

    public async Task<CollectibleView?> GetAsync()
    {
        await SettledAsync();
        return state.State.Collectible is { } c ? Current(c) : null;
    }

    public async Task<ClaimResult> ClaimAsync(string userId)
    {
        while (true)
        {
            await SettledAsync();
            if (state.State.Collectible is not { } collectible)
                return new ClaimResult(false, "Collectible is not active (unknown id)", null, ClaimResult.NotActive);

            if (collectible.ClaimedBy is { } owner)
            {
                if (owner != userId)
                    return new ClaimResult(false, "Collectible already claimed by another user", collectible, ClaimResult.AlreadyClaimed);
                // The winner again (a retry): make sure the inventory has it, without counting it twice.
                await GrainFactory.GetGrain<IUserGrain>(userId).AddCollectibleAsync(collectible);
                return new ClaimResult(true, "Collectible claimed", collectible, ClaimResult.Claimed);
            }

            var now = clock.GetUtcNow();
            if (now >= collectible.ExpiresAt)
                return new ClaimResult(false, "Collectible expired", Current(collectible), ClaimResult.Expired);

            var user = GrainFactory.GetGrain<IUserGrain>(userId);
            if (await user.GetAsync() is null)
                return new ClaimResult(false, $"User '{userId}' not found", Current(collectible), ClaimResult.UnknownUser);
            // Other claims ran while the user was looked up: decide again from the top.
            if (_claimWrite is not null || !ReferenceEquals(state.State.Collectible, collectible)) continue;

            var claimed = collectible with { ClaimedBy = userId, ClaimedAt = now, Status = CollectibleStatus.Claimed };
            state.State.Collectible = claimed;
            // A failed write must not leave a winner in memory only: a retry would answer success without storing it,
            // and a later activation could then let someone else win.
            var write = state.WriteOrRollbackAsync(() => state.State.Collectible = collectible);
            _claimWrite = write;
            try
            {
                await write;
            }
            finally
            {
                if (ReferenceEquals(_claimWrite, write)) _claimWrite = null;
            }
            await user.AddCollectibleAsync(claimed);
            // Operator consoles see the win on the dashboard stream (best effort: a lost event never undoes the claim).
            await this.PublishAsync(new DashboardEvent(DashboardEvent.CollectibleClaimed, now, null, Collectible: claimed), logger);
            return new ClaimResult(true, "Collectible claimed", claimed, ClaimResult.Claimed);
        }
    }

    /// <summary>Waits until no claim's write is in flight (its failure, already rolled back, is its own caller's).</summary>
    private async Task SettledAsync()
    {
        while (_claimWrite is { } pending)
        {
            try
            {
                await pending;
            }
            catch
            {
                // The winner's caller gets the failure; the collectible is open again.
            }
            if (ReferenceEquals(_claimWrite, pending)) _claimWrite = null;
        }
    }

    private CollectibleView Current(CollectibleView c) =>
        c.ClaimedBy is null && clock.GetUtcNow() >= c.ExpiresAt ? c with { Status = CollectibleStatus.Expired } : c;
}

using CityArray.Grains.Interfaces.Civic;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Signs;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Civic;

/// <summary>
/// One collectible. Grain calls run one at a time, so the first valid claim wins; it is stored before success is
/// reported, then added to the winner's inventory (idempotent, and repeated when the winner retries).
/// </summary>
public sealed class CollectibleGrain(
    [PersistentState("collectible", StorageNames.Grains)] IPersistentState<CollectibleState> state,
    TimeProvider clock,
    ILogger<CollectibleGrain> logger) : Grain, ICollectibleGrain
{
    public async Task<CollectibleView> CreateAsync(CollectibleView collectible)
    {
        if (state.State.Collectible is { } existing) return Current(existing);
        state.State.Collectible = collectible with { Id = this.GetPrimaryKeyString(), Status = CollectibleStatus.Active, ClaimedBy = null, ClaimedAt = null };
        await state.WriteOrRollbackAsync(() => state.State.Collectible = null);
        return state.State.Collectible;
    }

    public Task<CollectibleView?> GetAsync() =>
        Task.FromResult(state.State.Collectible is { } c ? Current(c) : null);

    public async Task<ClaimResult> ClaimAsync(string userId)
    {
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

        var claimed = collectible with { ClaimedBy = userId, ClaimedAt = now, Status = CollectibleStatus.Claimed };
        state.State.Collectible = claimed;
        // A failed write must not leave a winner in memory only: a retry would answer success without storing it,
        // and a later activation could then let someone else win.
        await state.WriteOrRollbackAsync(() => state.State.Collectible = collectible);
        await user.AddCollectibleAsync(claimed);
        // Operator consoles see the win on the dashboard stream (best effort: a lost event never undoes the claim).
        await this.PublishAsync(new DashboardEvent(DashboardEvent.CollectibleClaimed, now, null, Collectible: claimed), logger);
        return new ClaimResult(true, "Collectible claimed", claimed, ClaimResult.Claimed);
    }

    private CollectibleView Current(CollectibleView c) =>
        c.ClaimedBy is null && clock.GetUtcNow() >= c.ExpiresAt ? c with { Status = CollectibleStatus.Expired } : c;
}

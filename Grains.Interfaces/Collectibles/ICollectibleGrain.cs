
namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>
/// One collectible (key = collectible id). The claim is decided here, one call at a time: the first valid
/// claimer wins, the claim is stored before it is reported, and the winner's inventory is updated idempotently.
/// </summary>
[Alias("CityArray.ICollectibleGrain")]
public interface ICollectibleGrain : IGrainWithStringKey
{
    /// <summary>Stores a freshly dropped collectible (called by its event); idempotent.</summary>
    [Alias("Create")]
    Task<CollectibleView> CreateAsync(CollectibleView collectible);

    /// <summary>The collectible with its current status, or null if unknown.</summary>
    [Alias("Get"), ReadOnly]
    Task<CollectibleView?> GetAsync();

    /// <summary>Claims the collectible for an existing user; see <see cref="ClaimResult"/> for the answers.</summary>
    [Alias("Claim")]
    Task<ClaimResult> ClaimAsync(string userId);
}

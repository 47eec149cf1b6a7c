namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>
/// The answer to a claim. Exactly one user ever gets <see cref="Success"/> for a collectible (again on retries);
/// everyone else learns why in <see cref="Message"/> and <see cref="Reason"/> (one of the constants below).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.ClaimResult")]
public sealed record ClaimResult(
    [property: Id(0)] bool Success,
    [property: Id(1)] string Message,
    [property: Id(2)] CollectibleView? Collectible,
    [property: Id(3)] string Reason)
{
    public const string Claimed = "claimed";
    public const string AlreadyClaimed = "already_claimed";
    public const string Expired = "expired";
    public const string NotActive = "not_active";
    public const string UnknownUser = "unknown_user";
}

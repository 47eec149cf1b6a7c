using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Gateway.Collectibles;

/// <summary>The wire shapes of collectible claims, over REST and on the user socket (snake_case by <c>JsonWire</c>).</summary>
public static class CollectibleWire
{
    /// <summary>The answer to a claim: <c>{"success","message"}</c> plus the reason code and, on success, the collectible.</summary>
    public sealed record Claim(bool Success, string Message, string Reason, CollectibleView? Collectible);

    public static Claim ToWire(ClaimResult r)
    {
        CityArrayMetrics.Claims.Add(1, new KeyValuePair<string, object?>("outcome", r.Success ? "success" : r.Reason));
        return new(r.Success, r.Message, r.Reason, r.Success ? r.Collectible : null);
    }

    /// <summary><c>claim_result</c> socket message.</summary>
    public static object ClaimResult(ClaimResult r) => new { type = "claim_result", result = ToWire(r) };
}

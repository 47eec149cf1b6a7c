namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>A collectible's state as spelled on the wire.</summary>
public static class CollectibleStatus
{
    public const string Active = "active";
    public const string Claimed = "claimed";
    public const string Expired = "expired";
}

namespace CityArray.Grains.Interfaces.Collectibles;

/// <summary>How rare a collectible is, as spelled on the wire.</summary>
public static class CollectibleRarity
{
    public const string Common = "common";
    public const string Rare = "rare";
    public const string Legendary = "legendary";

    /// <summary>Every accepted value.</summary>
    public static readonly IReadOnlyList<string> All = [Common, Rare, Legendary];
}

using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Collectibles;

/// <summary>Random collectibles: rarity 70% common, 25% rare, 5% legendary, and a name fitting the rarity.</summary>
public static class CollectibleNames
{
    private static readonly string[] Common = ["Festival Pin", "Street Art Sticker", "Coffee Token", "Paper Lantern", "City Map Stamp"];
    private static readonly string[] Rare = ["Golden Ticket", "Silver Guitar Pick", "Vintage Postcard", "Glowing Wristband"];
    private static readonly string[] Legendary = ["Crystal Condor", "El Dorado Mask", "Mayor's Key to the City"];

    /// <summary>A random rarity by the weights above.</summary>
    public static string RandomRarity()
    {
        var roll = Random.Shared.Next(100);
        return roll < 70 ? CollectibleRarity.Common : roll < 95 ? CollectibleRarity.Rare : CollectibleRarity.Legendary;
    }

    /// <summary>A random name for the rarity.</summary>
    public static string RandomName(string rarity)
    {
        var names = rarity switch
        {
            CollectibleRarity.Legendary => Legendary,
            CollectibleRarity.Rare => Rare,
            _ => Common,
        };
        return names[Random.Shared.Next(names.Length)];
    }
}

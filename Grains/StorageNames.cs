namespace CityArray.Grains;

/// <summary>Names of the grain storage providers every silo registers.</summary>
public static class StorageNames
{
    /// <summary>Durable state of the application grains.</summary>
    public const string Grains = "grains";

    /// <summary>Stream subscriptions (the name Orleans streams look for).</summary>
    public const string PubSub = "PubSubStore";
}

namespace CityArray.Grains.Signs;

/// <summary>The durable set of known sign ids and the zone index.</summary>
[GenerateSerializer, Alias("CityArray.SignDirectoryState")]
public sealed class SignDirectoryState
{
    [Id(0)] public SortedSet<string> SignIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Zone name to the ids of the signs in it.</summary>
    [Id(1)] public Dictionary<string, SortedSet<string>> Zones { get; set; } = new(StringComparer.Ordinal);
}

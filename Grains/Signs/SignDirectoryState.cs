namespace CityArray.Grains.Signs;

/// <summary>The durable set of known sign ids.</summary>
[GenerateSerializer, Alias("CityArray.SignDirectoryState")]
public sealed class SignDirectoryState
{
    [Id(0)] public SortedSet<string> SignIds { get; set; } = new(StringComparer.Ordinal);
}

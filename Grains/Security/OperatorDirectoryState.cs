namespace CityArray.Grains.Security;

/// <summary>Stored list of operator usernames (state name <c>operator-directory</c>).</summary>
[GenerateSerializer, Alias("CityArray.OperatorDirectoryState")]
public sealed class OperatorDirectoryState
{
    [Id(0)] public SortedSet<string> Usernames { get; set; } = new(StringComparer.Ordinal);
}

using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Users;

/// <summary>Stored state of a <see cref="UserGrain"/>.</summary>
[GenerateSerializer, Alias("CityArray.UserState")]
public sealed class UserState
{
    [Id(0)] public string? Phone { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public HashSet<string> CreatedEventIds { get; set; } = [];
    [Id(4)] public HashSet<string> AttendedEventIds { get; set; } = [];
    [Id(5)] public List<CollectibleView> Collectibles { get; set; } = [];
}

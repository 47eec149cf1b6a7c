namespace CityArray.Grains.Users;

/// <summary>Stored state of a <see cref="PhoneRegistryGrain"/>: who owns the phone.</summary>
[GenerateSerializer, Alias("CityArray.PhoneRegistryState")]
public sealed class PhoneRegistryState
{
    [Id(0)] public string? UserId { get; set; }
    [Id(1)] public string? Name { get; set; }
}

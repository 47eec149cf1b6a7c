namespace CityArray.Grains.Security;

/// <summary>Stored state of one operator account (state name <c>operator</c>).</summary>
[GenerateSerializer, Alias("CityArray.OperatorState")]
public sealed class OperatorState
{
    [Id(0)] public string? PasswordHash { get; set; }
    [Id(1)] public string Role { get; set; } = "";
    [Id(2)] public bool Disabled { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public int FailedAttempts { get; set; }
    [Id(5)] public DateTimeOffset? LockedUntil { get; set; }
}

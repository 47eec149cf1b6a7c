namespace CityArray.Grains.Interfaces.Signs;

/// <summary>What a sign is showing now: an override, a message, or nothing (<c>kind</c> = <c>idle</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignDisplay")]
public sealed record SignDisplay(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Id,
    [property: Id(2)] string? Text,
    [property: Id(3)] DateTimeOffset? Since);

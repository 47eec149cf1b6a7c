namespace CityArray.Grains.Interfaces.Sms;

/// <summary>One recipient of a phone alert and its delivery state (<see cref="RecipientStatus"/>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.AlertRecipient")]
public sealed record AlertRecipient(
    [property: Id(0)] string To,
    [property: Id(1)] string Status,
    [property: Id(2)] string? ErrorCode,
    [property: Id(3)] string? Sid,
    [property: Id(4)] int Attempts,
    [property: Id(5)] DateTimeOffset UpdatedAt);

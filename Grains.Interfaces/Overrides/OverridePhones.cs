namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// The phone channels an override also goes out on (<c>sms</c>, <c>voice</c>; see <c>AlertChannel</c>) and the language
/// a voice call reads it in (<c>en</c> or <c>es</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverridePhones")]
public sealed record OverridePhones(
    [property: Id(0)] IReadOnlyList<string> Channels,
    [property: Id(1)] string Language);

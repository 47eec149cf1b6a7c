using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// One message for many signs at once, on the fleet broadcast stream: each gateway sends it to those of
/// <see cref="SignIds"/> whose sockets it holds. The durable record is in each sign's grain already.
/// <see cref="Type"/> is <c>override</c> or <c>override_cancelled</c>: both travel on this one stream, so a sign
/// never gets an override's cancel before the override itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SignBroadcast")]
public sealed record SignBroadcast(
    [property: Id(0)] SignOverride Override,
    [property: Id(1)] IReadOnlyList<string> SignIds,
    [property: Id(2)] string Type = SignCommand.OverrideOn);

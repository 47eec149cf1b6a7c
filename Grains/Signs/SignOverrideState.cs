using CityArray.Grains.Interfaces.Overrides;

namespace CityArray.Grains.Signs;

/// <summary>The durable overrides of one sign: those active now (the newest is shown) and which of them the sign acked.</summary>
[GenerateSerializer, Alias("CityArray.SignOverrideState")]
public sealed class SignOverrideState
{
    [Id(0)] public List<SignOverride> Active { get; set; } = [];
    [Id(1)] public List<string> Acked { get; set; } = [];

    /// <summary>Overrides that ended while the sign showed them but was not connected: it is told on its next connect.</summary>
    [Id(2)] public List<SignOverride> PendingCancels { get; set; } = [];
}

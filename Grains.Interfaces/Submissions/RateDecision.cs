namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>Whether a client may submit now; if not, how long until it may (<c>Retry-After</c>).</summary>
[GenerateSerializer, Immutable, Alias("CityArray.RateDecision")]
public sealed record RateDecision(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] TimeSpan RetryAfter);

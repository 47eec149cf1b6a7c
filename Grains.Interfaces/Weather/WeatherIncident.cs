namespace CityArray.Grains.Interfaces.Weather;

/// <summary>
/// A weather incident: from the first poll where a threshold tripped to the first poll where none did. It raises one
/// override (<see cref="OverrideId"/>) for all signs and cancels it when it ends.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.WeatherIncident")]
public sealed record WeatherIncident(
    [property: Id(0)] string OverrideId,
    [property: Id(1)] IReadOnlyList<string> Reasons,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? EndedAt);

namespace CityArray.Grains.Interfaces.Messages;

/// <summary>Who a message goes to: exactly one of listed <see cref="SignIds"/>, a <see cref="Zone"/>, or <see cref="All"/> signs.</summary>
[GenerateSerializer, Immutable, Alias("CityArray.MessageTarget")]
public sealed record MessageTarget(
    [property: Id(0)] IReadOnlyList<string>? SignIds,
    [property: Id(1)] string? Zone,
    [property: Id(2)] bool? All);

namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// A phone alert to send: <see cref="Channel"/> (<see cref="AlertChannel"/>), the text, its language (<c>en</c> or
/// <c>es</c>), and who gets it: the given <see cref="Numbers"/>, else the subscribers of <see cref="Zone"/>, else every
/// subscriber. <see cref="OverrideId"/> links an alert sent for an override's phone channels.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.AlertDraft")]
public sealed record AlertDraft(
    [property: Id(0)] string Channel,
    [property: Id(1)] string Message,
    [property: Id(2)] string Language,
    [property: Id(3)] string? Zone,
    [property: Id(4)] IReadOnlyList<string>? Numbers,
    [property: Id(5)] string? OverrideId = null);

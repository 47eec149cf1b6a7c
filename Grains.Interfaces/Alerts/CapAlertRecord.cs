namespace CityArray.Grains.Interfaces.Alerts;

/// <summary>
/// What CityArray did with one CAP alert (key <c>sender|identifier</c>): its CAP <c>msgType</c> and <c>status</c>,
/// the overrides it raised, and whether it is still <see cref="CapAlertStatus.Active"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.CapAlertRecord")]
public sealed record CapAlertRecord(
    [property: Id(0)] string Key,
    [property: Id(1)] string MsgType,
    [property: Id(2)] string CapStatus,
    [property: Id(3)] string Status,
    [property: Id(4)] IReadOnlyList<string> OverrideIds,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? EndedAt,
    [property: Id(7)] string? EndedBy);

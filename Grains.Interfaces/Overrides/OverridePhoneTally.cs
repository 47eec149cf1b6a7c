namespace CityArray.Grains.Interfaces.Overrides;

/// <summary>
/// One phone channel of an override, read from its phone alert: <see cref="AlertId"/> (null when no subscriber could be
/// reached, e.g. covered signs without a zone), how many recipients, and how many were delivered, failed
/// (failed/undelivered), are not yet settled (pending/sending/queued/sent/unknown) or opted out (STOP).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.OverridePhoneTally")]
public sealed record OverridePhoneTally(
    [property: Id(0)] string Channel,
    [property: Id(1)] string? AlertId,
    [property: Id(2)] int Recipients,
    [property: Id(3)] int Delivered,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Pending,
    [property: Id(6)] int OptedOut);

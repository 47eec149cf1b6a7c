namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// A submission as it arrived, unchecked: <c>name</c>, <c>text</c>, optional <c>contact</c> and <c>zone</c>, how it came
/// (<see cref="SubmissionSource"/>) and the key its sender is rate limited by (<c>ip:...</c> for the web form, <c>phone:...</c> for SMS).
/// <see cref="SubmissionId"/> is for a caller that must be idempotent (an SMS keyed by its provider's message id); null: a fresh <c>sub-</c> id.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionInput")]
public sealed record SubmissionInput(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Text,
    [property: Id(2)] string? Contact,
    [property: Id(3)] string? Zone,
    [property: Id(4)] string Source,
    [property: Id(5)] string ClientKey,
    [property: Id(6)] string? SubmissionId = null);

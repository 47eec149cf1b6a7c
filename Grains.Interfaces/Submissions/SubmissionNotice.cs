namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// The submission a dashboard event is about (<c>new_submission</c>, <c>submission_approved</c>, <c>submission_rejected</c>):
/// the submission without its contact, which is personal data.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionNotice")]
public sealed record SubmissionNotice(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Text,
    [property: Id(3)] string? Zone,
    [property: Id(4)] string Source,
    [property: Id(5)] string Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? ModeratedAt,
    [property: Id(8)] string? ModeratedReason,
    [property: Id(9)] string? MessageId);

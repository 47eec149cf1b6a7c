namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// The answer to approve or reject: <see cref="Submission"/> is null for an unknown id; <see cref="Changed"/> is false when
/// the submission was no longer pending (it is returned unchanged).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.ModerationResult")]
public sealed record ModerationResult(
    [property: Id(0)] SubmissionView? Submission,
    [property: Id(1)] bool Changed);

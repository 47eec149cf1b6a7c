namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// The answer to <see cref="ISubmissionIntakeGrain.SubmitAsync"/>: the pending <see cref="Submission"/>, or, when the
/// sender is over its limit, <see cref="RetryAfter"/>. Content that breaks a rule throws a
/// <see cref="Validation.RequestException"/> naming the field instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionReceipt")]
public sealed record SubmissionReceipt(
    [property: Id(0)] SubmissionView? Submission,
    [property: Id(3)] TimeSpan? RetryAfter = null);

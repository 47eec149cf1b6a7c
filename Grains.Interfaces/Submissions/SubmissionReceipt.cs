namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>
/// The answer to <see cref="ISubmissionIntakeGrain.SubmitAsync"/>: the pending <see cref="Submission"/>; or the
/// <see cref="Field"/> at fault and the <see cref="Reason"/>; or, when the sender is over its limit, <see cref="RetryAfter"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.SubmissionReceipt")]
public sealed record SubmissionReceipt(
    [property: Id(0)] SubmissionView? Submission,
    [property: Id(1)] string? Field = null,
    [property: Id(2)] string? Reason = null,
    [property: Id(3)] TimeSpan? RetryAfter = null);

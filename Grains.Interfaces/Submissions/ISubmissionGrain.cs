using CityArray.Grains.Interfaces.Messages;

namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>One attendee submission, keyed by its id: created pending, then approved (shown on signs as a message) or rejected.</summary>
[Alias("CityArray.ISubmissionGrain")]
public interface ISubmissionGrain : IGrainWithStringKey
{
    /// <summary>Records the submission as pending, adds it to the moderation queue and tells dashboards; idempotent.</summary>
    [Alias("Create")]
    Task<SubmissionView> CreateAsync(SubmissionDraft draft);

    /// <summary>
    /// The submission, or null if none has this id. Always interleaved: the queue reads submissions while a submission may be
    /// waiting on the queue, so this never waits behind a change in progress (it answers the last stored value).
    /// </summary>
    [Alias("Get"), ReadOnly, AlwaysInterleave]
    Task<SubmissionView?> GetAsync();

    /// <summary>
    /// Sends <c>"{name}: {text}"</c> as a message to <paramref name="target"/> (null: the submission's zone if it has one,
    /// else all signs) and marks the submission approved with the message id.
    /// </summary>
    [Alias("Approve")]
    Task<ModerationResult> ApproveAsync(MessageTarget? target, int displaySeconds);

    /// <summary>Marks the submission rejected, with an optional reason.</summary>
    [Alias("Reject")]
    Task<ModerationResult> RejectAsync(string? reason);
}

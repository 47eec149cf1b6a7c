namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>The moderation queue (one grain, key 0): submission ids by status, oldest first.</summary>
[Alias("CityArray.ISubmissionQueueGrain")]
public interface ISubmissionQueueGrain : IGrainWithIntegerKey
{
    /// <summary>Files <paramref name="submissionId"/> under <paramref name="status"/> (last), out of any other status; idempotent.</summary>
    [Alias("SetStatus")]
    Task SetStatusAsync(string submissionId, string status);

    /// <summary>Up to <paramref name="limit"/> ids with <paramref name="status"/>, in the order they got it (oldest first).</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string status, int limit);

    /// <summary>
    /// The moderation list operators see: up to <paramref name="limit"/> submissions with <paramref name="status"/>, oldest
    /// first, read from each submission (the record is the truth when the queue is behind: one that has moved on is left out).
    /// </summary>
    [Alias("ListViews"), ReadOnly]
    Task<IReadOnlyList<SubmissionView>> ListViewsAsync(string status, int limit);

    /// <summary>Removes <paramref name="submissionId"/> from the queue (its retention period is over); idempotent.</summary>
    [Alias("Forget")]
    Task ForgetAsync(string submissionId);
}

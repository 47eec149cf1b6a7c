namespace CityArray.Grains.Submissions;

/// <summary>Attendee submission settings (env <c>SUBMISSIONS_PER_CLIENT</c>, <c>SUBMISSIONS_WINDOW_SECONDS</c>).</summary>
public sealed class SubmissionOptions
{
    /// <summary>How many submissions one client may make within <see cref="Window"/>.</summary>
    public int PerClient { get; set; } = 5;

    /// <summary>The sliding window of the per-client limit.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);
}

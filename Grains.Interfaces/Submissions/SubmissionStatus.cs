namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>A submission's moderation state: <c>pending</c> until an operator <c>approved</c> or <c>rejected</c> it (once, for good).</summary>
public static class SubmissionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>Every status, in the order a submission moves through them.</summary>
    public static readonly IReadOnlyList<string> All = [Pending, Approved, Rejected];
}

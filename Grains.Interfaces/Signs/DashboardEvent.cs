using CityArray.Grains.Interfaces.Messages;
using CityArray.Grains.Interfaces.Overrides;
using CityArray.Grains.Interfaces.Submissions;
using CityArray.Grains.Interfaces.Collectibles;

namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// One event on the fleet-wide dashboard stream. <see cref="Type"/> is the wire message type
/// (<c>sign_update</c>, <c>sign_connected</c>, ...); the entity it is about is set, the others are null.
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.DashboardEvent")]
public sealed record DashboardEvent(
    [property: Id(0)] string Type,
    [property: Id(1)] DateTimeOffset Timestamp,
    [property: Id(2)] SignView? Sign,
    [property: Id(3)] MessageNotice? Message = null,
    [property: Id(4)] OverrideNotice? Override = null,
    [property: Id(5)] SubmissionNotice? Submission = null,
    [property: Id(6)] CollectibleView? Collectible = null)
{
    public const string SignUpdate = "sign_update";
    public const string SignConnected = "sign_connected";
    public const string SignDisconnected = "sign_disconnected";
    public const string SignOffline = "sign_offline";
    public const string MessageSent = "message_sent";
    public const string MessageAck = "message_ack";
    public const string OverrideActivated = "override_activated";
    public const string OverrideCancelled = "override_cancelled";
    public const string NewSubmission = "new_submission";
    public const string SubmissionApproved = "submission_approved";
    public const string SubmissionRejected = "submission_rejected";
    /// <summary>A collectible dropped in a civic event (read-only feed for operator consoles).</summary>
    public const string CollectibleDropped = "collectible_dropped";
    /// <summary>A collectible was won by a user.</summary>
    public const string CollectibleClaimed = "collectible_claimed";
}

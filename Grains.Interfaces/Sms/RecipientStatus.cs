namespace CityArray.Grains.Interfaces.Sms;

/// <summary>
/// Delivery state of one recipient of a phone alert. <c>pending</c> (waiting for its turn or a retry), <c>sending</c>
/// (recorded before the request to Twilio), then what Twilio says: <c>queued</c>, <c>sent</c>, <c>delivered</c>,
/// <c>undelivered</c>, <c>failed</c> (with Twilio's error code). <c>opted_out</c>: the number sent STOP, nothing sent.
/// <c>unknown</c>: Twilio did not answer the request; it is not sent again (no duplicates) and a later status
/// callback still settles it.
/// </summary>
public static class RecipientStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Failed = "failed";
    public const string OptedOut = "opted_out";
    public const string Unknown = "unknown";

    /// <summary>Progress order: a status callback never moves a recipient backwards (callbacks arrive out of order).</summary>
    public static int Rank(string status) => status switch
    {
        Pending => 0,
        Sending => 1,
        Unknown => 2,
        Queued => 3,
        Sent => 4,
        Delivered or Undelivered or Failed or OptedOut => 5,
        _ => 0,
    };

    /// <summary>Maps a Twilio message status or call status to ours (null: not one we know).</summary>
    public static string? FromTwilio(string? status) => status?.ToLowerInvariant() switch
    {
        "accepted" or "queued" or "scheduled" => Queued,
        "sending" or "sent" or "initiated" or "ringing" or "in-progress" or "answered" => Sent,
        "delivered" or "read" or "completed" => Delivered,
        "undelivered" => Undelivered,
        "failed" or "busy" or "no-answer" or "canceled" => Failed,
        _ => null,
    };
}

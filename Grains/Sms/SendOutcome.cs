namespace CityArray.Grains.Sms;

/// <summary>
/// What came of one request to Twilio: accepted (with its SID and status), refused for good (an error code), refused
/// for now (try again later: nothing was sent), or no answer (it may have been sent: never sent again).
/// </summary>
public sealed record SendOutcome(SendOutcome.Kinds Kind, string? Sid = null, string? Status = null, string? ErrorCode = null, string? Error = null)
{
    public enum Kinds
    {
        Accepted,
        Refused,
        RetryLater,
        NoAnswer,
    }
}

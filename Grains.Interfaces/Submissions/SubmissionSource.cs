namespace CityArray.Grains.Interfaces.Submissions;

/// <summary>How an attendee submission arrived: the web form (<c>POST /api/submissions</c>) or an inbound SMS.</summary>
public static class SubmissionSource
{
    public const string Web = "web";
    public const string Sms = "sms";
}

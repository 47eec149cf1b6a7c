namespace CityArray.Grains.Interfaces.Sms;

/// <summary>How a phone alert goes out: a text message or a voice call that reads it aloud (TwiML <c>&lt;Say&gt;</c>).</summary>
public static class AlertChannel
{
    public const string Sms = "sms";
    public const string Voice = "voice";
}

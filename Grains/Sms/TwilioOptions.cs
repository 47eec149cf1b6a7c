namespace CityArray.Grains.Sms;

/// <summary>
/// Twilio settings (env <c>TWILIO_ACCOUNT_SID</c>, <c>TWILIO_AUTH_TOKEN</c>, <c>TWILIO_PHONE_NUMBER</c>,
/// <c>TWILIO_API_BASE_URL</c>, <c>TWILIO_MESSAGES_PER_SECOND</c>, <c>PUBLIC_BASE_URL</c>). Without the SID, token and
/// number, phone alerts and the SMS webhooks answer 503.
/// </summary>
public sealed class TwilioOptions
{
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164).</summary>
    public string? PhoneNumber { get; set; }

    /// <summary>Where Twilio's REST API is (tests: a fake on loopback); null = Twilio itself.</summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>
    /// The public address of this service as Twilio sees it (behind a proxy), used to build status callback URLs and
    /// to check webhook signatures; null = no status callbacks, and signatures checked against the request's own URL.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Requests (messages or calls) per second across the cluster.</summary>
    public int MessagesPerSecond { get; set; } = 1;

    /// <summary>How long a recipient waits before another attempt after Twilio refused with a retryable error.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per recipient before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(PhoneNumber);
}

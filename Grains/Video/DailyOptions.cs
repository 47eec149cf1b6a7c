namespace CityArray.Grains.Video;

/// <summary>
/// Daily settings (env <c>DAILY_API_KEY</c>, <c>DAILY_DOMAIN</c>, <c>DAILY_API_BASE_URL</c>, <c>DAILY_RETRY_SECONDS</c>).
/// Without a key, video rooms are off and events carry no room (the contract's nulls).
/// </summary>
public sealed class DailyOptions
{
    public string? ApiKey { get; set; }

    /// <summary>The account's subdomain (<c>https://{domain}.daily.co/</c>), used when Daily's answer has no URL.</summary>
    public string? Domain { get; set; }

    /// <summary>The REST API's base address (tests point it at a fake on loopback).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.daily.co/v1/");

    /// <summary>How often a room that Daily did not create (or delete) yet is retried while the grain is active.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}

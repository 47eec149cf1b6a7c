namespace CityArray.Gateway.Transcripts;

/// <summary>
/// Deepgram live transcription settings (env <c>DEEPGRAM_API_KEY</c>, <c>DEEPGRAM_API_URL</c>, <c>DEEPGRAM_MODEL</c>,
/// <c>DEEPGRAM_LANGUAGE</c>, <c>DEEPGRAM_KEEPALIVE_SECONDS</c>). Without a key the audio socket answers 503.
/// </summary>
public sealed record DeepgramOptions
{
    public string? ApiKey { get; init; }
    public Uri ApiUrl { get; init; } = new("wss://api.deepgram.com/v1/listen");
    public string Model { get; init; } = "nova-2";
    public string Language { get; init; } = "es";

    /// <summary>A KeepAlive goes upstream after this long without audio (Deepgram closes after 10 s of silence).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Reconnections in a row (without a result in between) before the session gives up.</summary>
    public int MaxReconnects { get; init; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);

    public static DeepgramOptions From(IConfiguration config)
    {
        var url = config["DEEPGRAM_API_URL"] is { Length: > 0 } u ? u.Trim() : "wss://api.deepgram.com/v1/listen";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            throw new FormatException($"DEEPGRAM_API_URL must be an absolute ws:// or wss:// URL, not '{url}'");
        return new DeepgramOptions
        {
            ApiKey = config["DEEPGRAM_API_KEY"] is { Length: > 0 } k ? k.Trim() : null,
            ApiUrl = uri,
            Model = config["DEEPGRAM_MODEL"] is { Length: > 0 } m ? m.Trim() : "nova-2",
            Language = config["DEEPGRAM_LANGUAGE"] is { Length: > 0 } l ? l.Trim() : "es",
            KeepAlive = TimeSpan.FromSeconds(CityArray.Silo.Hosting.CityArraySettings.ReadInt(config, "DEEPGRAM_KEEPALIVE_SECONDS", 4, 1, 9)),
        };
    }
}

using CityArray.Grains.ReadModel;
using CityArray.Silo.ReadModel;
using MongoDB.Driver;
using CityArray.Grains.Sms;
using CityArray.Grains.Video;
using CityArray.Grains.Weather;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace CityArray.Silo.Hosting;

/// <summary>
/// Registers the external services' clients in a silo (see docs/integrations.md): each one is a typed
/// <see cref="HttpClient"/> with the standard resilience handler (attempt timeout, retries with exponential backoff
/// and jitter, circuit breaker, total timeout) from <c>INTEGRATION_TIMEOUT_SECONDS</c>,
/// <c>INTEGRATION_TOTAL_TIMEOUT_SECONDS</c> and <c>INTEGRATION_RETRIES</c>. A service without its key stays off.
/// </summary>
public static class IntegrationsConfiguration
{
    public static IServiceCollection AddIntegrations(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(TimeProvider.System);
        var resilience = ResilienceSettings.From(config);

        var daily = new DailyOptions
        {
            ApiKey = Secret(config, "DAILY_API_KEY"),
            Domain = config["DAILY_DOMAIN"] is { Length: > 0 } d ? d.Trim() : null,
            BaseUrl = ReadUrl(config, "DAILY_API_BASE_URL", "https://api.daily.co/v1/"),
            RetryInterval = TimeSpan.FromSeconds(CityArraySettings.ReadInt(config, "DAILY_RETRY_SECONDS", 30, 1, 3_600)),
        };
        services.Configure<DailyOptions>(o =>
        {
            o.ApiKey = daily.ApiKey;
            o.Domain = daily.Domain;
            o.BaseUrl = daily.BaseUrl;
            o.RetryInterval = daily.RetryInterval;
        });
        services.AddHttpClient<DailyClient>().AddCityArrayResilience(resilience);
        if (daily.Enabled) services.AddSingleton<IVideoRooms, DailyVideoRooms>();

        services.AddTwilioOptions(config);
        var twilioApi = ReadOptionalUrl(config, "TWILIO_API_BASE_URL");
        var twilio = services.AddHttpClient<TwilioSender>();
        if (twilioApi is not null) twilio.AddHttpMessageHandler(() => new BaseAddressRewriteHandler(twilioApi));
        // A POST to Twilio is never retried by the HTTP layer (a lost answer could mean a second SMS); the phone alert
        // grain retries what Twilio refused, durably, and never what it may have sent.
        twilio.AddCityArrayResilience(resilience, retryUnsafeMethods: false);

        services.AddWeatherOptions(config);
        services.AddHttpClient<OpenWeatherClient>().AddCityArrayResilience(resilience);

        if (Secret(config, "MONGODB_URL") is { } mongoUrl)
        {
            MongoUrl url;
            try
            {
                url = new MongoUrl(mongoUrl);
            }
            catch (Exception e) when (e is MongoConfigurationException or ArgumentException)
            {
                throw new FormatException("MONGODB_URL must be a mongodb:// or mongodb+srv:// connection string");
            }
            var database = config["DATABASE_NAME"] is { Length: > 0 } db ? db.Trim() : url.DatabaseName ?? "cityarray";
            var settings = MongoClientSettings.FromUrl(url);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
            services.AddSingleton<IMongoClient>(new MongoClient(settings));
            services.AddSingleton<IReadModel>(sp => new MongoReadModel(sp.GetRequiredService<IMongoClient>(), database));
        }
        services.TryAddSingleton<IReadModel, NoReadModel>();
        return services;
    }

    /// <summary>
    /// Reads the OpenWeather settings into <see cref="WeatherOptions"/> (the gateway needs them to answer 503 without a key).
    /// <c>WEATHER_LAT</c>/<c>WEATHER_LON</c> are required with a key.
    /// </summary>
    public static IServiceCollection AddWeatherOptions(this IServiceCollection services, IConfiguration config)
    {
        var key = Secret(config, "OPENWEATHER_API_KEY");
        var baseUrl = ReadUrl(config, "OPENWEATHER_API_BASE_URL", "https://api.openweathermap.org/");
        double lat = 0, lon = 0;
        if (key is not null)
        {
            lat = ReadCoordinate(config, "WEATHER_LAT", 90);
            lon = ReadCoordinate(config, "WEATHER_LON", 180);
        }
        var pollSeconds = CityArraySettings.ReadInt(config, "WEATHER_POLL_SECONDS", 300, 1, 86_400);
        var heat = CityArraySettings.ReadInt(config, "WEATHER_HEAT_INDEX_C", 40, 20, 80);
        var heatMargin = CityArraySettings.ReadInt(config, "WEATHER_HEAT_CLEAR_MARGIN_C", 2, 0, 20);
        var clearPolls = CityArraySettings.ReadInt(config, "WEATHER_CLEAR_POLLS", 3, 1, 1000);
        services.Configure<WeatherOptions>(o =>
        {
            o.ApiKey = key;
            o.BaseUrl = baseUrl;
            o.Latitude = lat;
            o.Longitude = lon;
            o.PollInterval = TimeSpan.FromSeconds(pollSeconds);
            o.HeatIndexThresholdC = heat;
            o.HeatClearMarginC = heatMargin;
            o.ClearPolls = clearPolls;
        });
        return services;
    }

    private static double ReadCoordinate(IConfiguration config, string name, double limit)
    {
        var raw = config[name];
        if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || Math.Abs(value) > limit)
            throw new FormatException($"{name} must be a number from -{limit} to {limit} when OPENWEATHER_API_KEY is set, not '{raw}'");
        return value;
    }

    /// <summary>
    /// Reads the Twilio settings (<c>TWILIO_*</c>, <c>PUBLIC_BASE_URL</c>) into <see cref="TwilioOptions"/>: the silo
    /// sends with them, the gateway checks webhook signatures with them. Idempotent.
    /// </summary>
    public static IServiceCollection AddTwilioOptions(this IServiceCollection services, IConfiguration config)
    {
        var sid = Secret(config, "TWILIO_ACCOUNT_SID");
        var token = Secret(config, "TWILIO_AUTH_TOKEN");
        var number = Secret(config, "TWILIO_PHONE_NUMBER");
        var api = ReadOptionalUrl(config, "TWILIO_API_BASE_URL");
        var publicBase = ReadOptionalUrl(config, "PUBLIC_BASE_URL");
        var rate = CityArraySettings.ReadInt(config, "TWILIO_MESSAGES_PER_SECOND", 1, 1, 1_000);
        var retrySeconds = CityArraySettings.ReadInt(config, "TWILIO_RETRY_SECONDS", 30, 1, 3_600);
        services.Configure<TwilioOptions>(o =>
        {
            o.AccountSid = sid;
            o.AuthToken = token;
            o.PhoneNumber = number;
            o.ApiBaseUrl = api;
            o.PublicBaseUrl = publicBase;
            o.MessagesPerSecond = rate;
            o.RetryDelay = TimeSpan.FromSeconds(retrySeconds);
        });
        return services;
    }

    /// <summary>The standard resilience pipeline with the configured timeouts and retries (no hand-written retry loops).</summary>
    internal static IHttpClientBuilder AddCityArrayResilience(this IHttpClientBuilder builder, ResilienceSettings settings, bool retryUnsafeMethods = true)
    {
        builder.AddStandardResilienceHandler(o =>
        {
            o.AttemptTimeout.Timeout = settings.AttemptTimeout;
            o.TotalRequestTimeout.Timeout = settings.TotalTimeout;
            o.Retry.MaxRetryAttempts = settings.Retries;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
            o.Retry.UseJitter = true;
            if (!retryUnsafeMethods) o.Retry.DisableForUnsafeHttpMethods();
            // The breaker's sampling window must be at least twice the attempt timeout.
            var sampling = settings.AttemptTimeout * 2;
            if (o.CircuitBreaker.SamplingDuration < sampling) o.CircuitBreaker.SamplingDuration = sampling;
        });
        return builder;
    }

    private static string? Secret(IConfiguration config, string name) => config[name] is { Length: > 0 } v ? v.Trim() : null;

    private static Uri? ReadOptionalUrl(IConfiguration config, string name) =>
        config[name] is { Length: > 0 } ? ReadUrl(config, name, "") : null;

    private static Uri ReadUrl(IConfiguration config, string name, string defaultValue)
    {
        var raw = config[name] is { Length: > 0 } v ? v.Trim() : defaultValue;
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps
                                                                   && uri.Scheme != "ws" && uri.Scheme != "wss"))
            throw new FormatException($"{name} must be an absolute http(s) or ws(s) URL, not '{raw}'");
        return uri;
    }

    /// <summary>Timeouts and retries shared by every external client.</summary>
    internal sealed record ResilienceSettings(TimeSpan AttemptTimeout, TimeSpan TotalTimeout, int Retries)
    {
        public static ResilienceSettings From(IConfiguration config)
        {
            var attempt = CityArraySettings.ReadInt(config, "INTEGRATION_TIMEOUT_SECONDS", 5, 1, 300);
            var total = CityArraySettings.ReadInt(config, "INTEGRATION_TOTAL_TIMEOUT_SECONDS", 15, 1, 900);
            var retries = CityArraySettings.ReadInt(config, "INTEGRATION_RETRIES", 2, 1, 10);
            return new ResilienceSettings(TimeSpan.FromSeconds(attempt), TimeSpan.FromSeconds(Math.Max(total, attempt)), retries);
        }
    }
}

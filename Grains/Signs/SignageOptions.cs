namespace CityArray.Grains.Signs;

/// <summary>Signage behaviour settings (env <c>SIGN_OFFLINE_AFTER_SECONDS</c>).</summary>
public sealed class SignageOptions
{
    /// <summary>A sign with no heartbeat for this long is marked offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How many metrics samples each sign keeps.</summary>
    public int MetricsSamplesKept { get; set; } = 720;

    /// <summary>Metrics samples older than this are dropped when the next one is recorded (env <c>RETENTION_METRICS_DAYS</c>).</summary>
    public TimeSpan MetricsMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Heartbeat-only changes are written to storage at most this often (status changes always are).</summary>
    public TimeSpan HeartbeatPersistInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Heartbeat and metrics frames write changed values and publish a dashboard update at most once per this interval
    /// per sign; the latest values go out at the end of the interval (env <c>SIGN_UPDATE_INTERVAL_MS</c>).
    /// </summary>
    public TimeSpan UpdateCoalesceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sign events reach dashboards through the silo's <c>DashboardPushGrain</c> (batched per gateway) when true, else on
    /// the fleet dashboard stream. The push grain is used on a single silo (embedded mode); a multi-silo cluster keeps the
    /// stream, because there a push grain's call to a gateway was seen to wait out its 5 s timeout now and then
    /// (docs/signs-and-dashboards.md, Limits).
    /// </summary>
    public bool PushGrainForDashboards { get; set; } = true;
}

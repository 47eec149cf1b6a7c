namespace CityArray.Grains;

/// <summary>
/// The clock CityArray's rules read: every grain and the gateway where it stamps or checks times for rules (override
/// and message expiry, metric samples, notifications). It wraps a <see cref="TimeProvider"/> under its own type because
/// Orleans resolves <see cref="TimeProvider"/> from the same container for its own timers, membership and reminders:
/// a test that replaces this clock (with <c>TestClock</c>) moves only CityArray's notion of "now", never Orleans' timers.
/// Production registers <c>new CityArrayClock(TimeProvider.System)</c>.
/// </summary>
public sealed class CityArrayClock(TimeProvider time) : TimeProvider
{
    /// <summary>The system clock, the default everywhere outside tests.</summary>
    public static new CityArrayClock System { get; } = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override long GetTimestamp() => time.GetTimestamp();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        time.CreateTimer(callback, state, dueTime, period);
}

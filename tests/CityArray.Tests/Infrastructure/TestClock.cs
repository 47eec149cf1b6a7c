using CityArray.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace CityArray.Tests.Infrastructure;

/// <summary>
/// The fake clock of time-dependent tests: real time plus an offset that <see cref="Advance"/> moves forward. Time keeps
/// flowing (so ordering by time and real-time waits such as socket pings still work in a shared cluster), and a test
/// jumps over an expiry, a TTL or an offline timeout instead of sleeping through it. Register it with
/// <see cref="Register"/> (or <see cref="Clock"/>) in place of <see cref="CityArrayClock.System"/>: only CityArray's rules
/// read it, Orleans' own timers keep the real <see cref="TimeProvider"/>. A jump changes "now" for every grain of the
/// cluster, so tests that advance a clock own their fixture (or only ever move it forward past their own deadlines).
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>The <see cref="CityArrayClock"/> to register in the silo's (and the gateway's) services.</summary>
    public CityArrayClock Clock { get; }

    public TestClock() => Clock = new CityArrayClock(this);

    /// <summary>How far this clock is ahead of real time.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves "now" forward by <paramref name="by"/> at once, for every grain and gateway that reads this clock.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Makes <paramref name="services"/> resolve this clock as the <see cref="CityArrayClock"/> (last registration wins).</summary>
    public void Register(IServiceCollection services) => services.AddSingleton(Clock);
}

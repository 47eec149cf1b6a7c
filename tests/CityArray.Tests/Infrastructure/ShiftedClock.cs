namespace CityArray.Tests.Infrastructure;

/// <summary>
/// A clock that runs with real time plus an offset a test moves forward (<see cref="Advance"/>), so "days later" happens
/// at once while timers keep their real pace. Registered as the server's <see cref="TimeProvider"/>.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

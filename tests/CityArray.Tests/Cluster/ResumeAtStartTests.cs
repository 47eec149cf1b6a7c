using CityArray.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityArray.Tests.Cluster;

/// <summary>
/// A silo restarted with the rest of the cluster must start even while the grain it wakes is still registered on a
/// dead silo (a startup task that threw once stopped a silo in the repeated full-restart test).
/// </summary>
public sealed class ResumeAtStartTests
{
    [Fact]
    public async Task A_wake_call_that_fails_at_first_is_retried_until_it_succeeds()
    {
        var calls = 0;
        var woke = await ResumeAtStart.RetryAsync(() => ++calls < 3 ? throw new TimeoutException("grain on a dead silo") : Task.CompletedTask,
            NullLogger.Instance, "test", TimeSpan.FromMilliseconds(1), attempts: 5, CancellationToken.None);
        Assert.True(woke);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_wake_call_that_always_fails_gives_up_without_throwing()
    {
        var calls = 0;
        var woke = await ResumeAtStart.RetryAsync(() => { calls++; throw new InvalidOperationException("down"); },
            NullLogger.Instance, "test", TimeSpan.FromMilliseconds(1), attempts: 4, CancellationToken.None);
        Assert.False(woke);
        Assert.Equal(4, calls);
    }
}

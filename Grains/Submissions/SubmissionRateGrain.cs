using CityArray.Grains.Interfaces.Submissions;
using Microsoft.Extensions.Options;

namespace CityArray.Grains.Submissions;

/// <summary>
/// One client's sliding-window submission limit. The times of its recent submissions live in memory only (no storage
/// write per submission); the grain stays active for a full window after each one, so the limit holds while it matters.
/// A silo restart forgets the window, which at worst lets a client submit a few more times.
/// </summary>
public sealed class SubmissionRateGrain(IOptions<SubmissionOptions> options, CityArrayClock clock) : Grain, ISubmissionRateGrain
{
    private readonly Queue<DateTimeOffset> _recent = new();

    public Task<RateDecision> TryAcquireAsync()
    {
        var (limit, window) = (options.Value.PerClient, options.Value.Window);
        var now = clock.GetUtcNow();
        while (_recent.Count > 0 && _recent.Peek() + window <= now) _recent.Dequeue();
        if (_recent.Count >= limit) return Task.FromResult(new RateDecision(false, _recent.Peek() + window - now));
        _recent.Enqueue(now);
        DelayDeactivation(window);
        return Task.FromResult(new RateDecision(true, TimeSpan.Zero));
    }
}

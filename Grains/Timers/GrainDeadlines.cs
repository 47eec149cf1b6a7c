using CityArray.Grains.Interfaces.Timers;
using Microsoft.Extensions.Logging;

namespace CityArray.Grains.Timers;

/// <summary>
/// The silo's one timer for the one-shot deadlines of many grains (an active event's end of lifetime). .NET keeps every
/// timer in lists its timer thread walks several times a second under a lock, so 100,000 active events each holding a
/// grain timer turned that walk into a stall of every request several times a second (docs/civic.md, "Lifetime").
/// A deadline here is a grain id and a time, in a heap; when it passes, the grain is called
/// (<see cref="IDeadlineTarget.DeadlinePassedAsync"/>), which activates it if it went idle. Held in memory only, like
/// the grain timers it replaces: after a silo restart each grain schedules its deadline again when it next activates.
/// </summary>
public sealed class GrainDeadlines : IDisposable
{
    /// <summary>The timer wakes at least this often, so a deadline far ahead never needs a timer longer than timers allow.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly IGrainFactory _grains;
    private readonly CityArrayClock _clock;
    private readonly ILogger<GrainDeadlines> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<GrainId, DateTimeOffset> _due = [];
    private readonly PriorityQueue<GrainId, DateTimeOffset> _queue = new();
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;

    public GrainDeadlines(IGrainFactory grains, CityArrayClock clock, TimeProvider timers, ILogger<GrainDeadlines> logger)
    {
        (_grains, _clock, _logger) = (grains, clock, logger);
        _timer = timers.CreateTimer(static self => ((GrainDeadlines)self!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Deadlines held now (for tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_gate) return _due.Count; }
    }

    /// <summary>Calls <paramref name="grain"/> once <paramref name="due"/> passes (at once if it has); replaces its earlier deadline.</summary>
    public void Schedule(GrainId grain, DateTimeOffset due)
    {
        lock (_gate)
        {
            if (_due.TryGetValue(grain, out var current) && current == due) return;
            _due[grain] = due;
            _queue.Enqueue(grain, due); // an earlier entry of the grain stays queued and is skipped when it comes up
            if (due < _armedFor) ArmLocked(due);
        }
    }

    /// <summary>Forgets the grain's deadline.</summary>
    public void Cancel(GrainId grain)
    {
        lock (_gate) _due.Remove(grain);
    }

    private void ArmLocked(DateTimeOffset due)
    {
        _armedFor = due;
        var wait = due - _clock.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        List<GrainId>? passed = null;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            while (_queue.TryPeek(out var grain, out var due) && due <= now)
            {
                _queue.Dequeue();
                if (_due.TryGetValue(grain, out var current) && current == due)
                {
                    _due.Remove(grain);
                    (passed ??= []).Add(grain);
                }
            }
            _armedFor = DateTimeOffset.MaxValue;
            if (_queue.TryPeek(out _, out var next)) ArmLocked(next);
        }
        if (passed is null) return;
        foreach (var grain in passed) _ = CallAsync(grain);
    }

    private async Task CallAsync(GrainId grain)
    {
        try
        {
            await _grains.GetGrain<IDeadlineTarget>(grain).DeadlinePassedAsync();
        }
        catch (Exception e)
        {
            // The grain checks its deadline again on its next activation and on every changing call.
            _logger.LogWarning(e, "Could not tell {Grain} that its deadline passed", grain);
        }
    }

    public void Dispose() => _timer.Dispose();
}

namespace CityArray.Bench.Shared;

/// <summary>Thread-safe collector of latency samples (milliseconds) that reports p50/p99/p99.9.</summary>
public sealed class LatencyRecorder
{
    private readonly object _gate = new();
    private double[] _samples;
    private int _count;

    public LatencyRecorder(int capacity = 1024) => _samples = new double[Math.Max(16, capacity)];

    /// <summary>Number of samples recorded so far.</summary>
    public int Count { get { lock (_gate) return _count; } }

    /// <summary>Records one sample in milliseconds.</summary>
    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            if (_count == _samples.Length) Array.Resize(ref _samples, _samples.Length * 2);
            _samples[_count++] = milliseconds;
        }
    }

    /// <summary>Records the time elapsed since a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> value.</summary>
    public void AddSince(long startTimestamp) =>
        Add(System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    /// <summary>Adds every sample of another recorder.</summary>
    public void AddAll(LatencyRecorder other)
    {
        foreach (var s in other.Snapshot()) Add(s);
    }

    /// <summary>Copy of the samples recorded so far.</summary>
    public double[] Snapshot()
    {
        lock (_gate) return _samples.AsSpan(0, _count).ToArray();
    }

    /// <summary>Forgets every sample.</summary>
    public void Clear()
    {
        lock (_gate) _count = 0;
    }

    /// <summary>Summary statistics of the samples recorded so far.</summary>
    public LatencySummary Summarize() => LatencySummary.From(Snapshot());
}

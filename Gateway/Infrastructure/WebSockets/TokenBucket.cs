using System.Diagnostics;

namespace CityArray.Gateway.Infrastructure.WebSockets;

/// <summary>A token bucket rate limiter for one caller (not thread-safe: one receive loop owns it).</summary>
public sealed class TokenBucket(double tokensPerSecond, int capacity)
{
    private double _tokens = capacity;
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(capacity, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * tokensPerSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}

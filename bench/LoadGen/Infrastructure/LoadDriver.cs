using System.Diagnostics;
using CityArray.Bench.Shared;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>Runs <c>count</c> operations with at most <c>concurrency</c> in flight; times each one.</summary>
public static class LoadDriver
{
    /// <summary>The outcome of a run: wall time, per-operation latency, how many failed (threw or returned false).</summary>
    public sealed record Result(TimeSpan Elapsed, LatencySummary Latency, int Count, int Failures)
    {
        public double PerSecond => Count / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    public static async Task<Result> RunAsync(int count, int concurrency, Func<int, Task<bool>> operation)
    {
        var latency = new LatencyRecorder(count);
        var failures = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, count))).Select(async _ =>
        {
            await Task.Yield();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(i); }
                catch (Exception) { ok = false; }
                latency.AddSince(start);
                if (!ok) Interlocked.Increment(ref failures);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        return new Result(clock.Elapsed, latency.Summarize(), count, failures);
    }

    /// <summary>
    /// Runs operations (index 0, 1, ...) with <c>concurrency</c> in flight for <paramref name="duration"/>, untimed and
    /// failures ignored: the JIT compiles the hot paths at full optimization (tiered compilation promotes a method after
    /// it is called often), connection pools fill and activations start, so what is measured next is the steady state of
    /// both systems, not their start-up. Returns how many operations ran.
    /// </summary>
    public static async Task<int> WarmUpAsync(TimeSpan duration, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            await Task.Yield();
            while (clock.Elapsed < duration)
            {
                try { await operation(Interlocked.Increment(ref next)); }
                catch (Exception) { /* warm-up only */ }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return next + 1;
    }

    /// <summary>An HttpClient for load: many connections to one server, generous timeout.</summary>
    public static HttpClient Http(Uri baseUri, int connections = 256) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };
}

using System.Diagnostics;
using CityArray.Bench.Shared;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>Runs <c>count</c> operations with at most <c>concurrency</c> in flight; times each one.</summary>
public static class LoadDriver
{
    /// <summary>
    /// The outcome of a run: wall time, per-operation latency, how many failed (threw or returned false), and the rate of
    /// each round when it ran in rounds.
    /// </summary>
    public sealed record Result(TimeSpan Elapsed, LatencySummary Latency, int Count, int Failures, IReadOnlyList<double>? RoundRates = null)
    {
        public double PerSecond => Count / Math.Max(Elapsed.TotalSeconds, 1e-9);
    }

    public static Task<Result> RunAsync(int count, int concurrency, Func<int, Task<bool>> operation) =>
        RunRoundsAsync(1, count, concurrency, (_, i) => operation(i));

    /// <summary>
    /// <paramref name="rounds"/> runs of <paramref name="count"/> operations each (<c>operation(round, i)</c>), one after the
    /// other: the rate is all operations over the rounds' summed time and the latencies are those of every operation,
    /// so a short burst is measured several times instead of once against a noisy machine.
    /// </summary>
    public static async Task<Result> RunRoundsAsync(int rounds, int count, int concurrency, Func<int, int, Task<bool>> operation)
    {
        var latency = new LatencyRecorder(count * rounds);
        var failures = 0;
        var elapsed = TimeSpan.Zero;
        var rates = new List<double>(rounds);
        for (var round = 0; round < rounds; round++)
        {
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
                    try { ok = await operation(round, i); }
                    catch (Exception) { ok = false; }
                    latency.AddSince(start);
                    if (!ok) Interlocked.Increment(ref failures);
                }
            }).ToArray();
            await Task.WhenAll(workers);
            clock.Stop();
            elapsed += clock.Elapsed;
            rates.Add(count / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
        }
        return new Result(elapsed, latency.Summarize(), count * rounds, failures, rounds > 1 ? rates : null);
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

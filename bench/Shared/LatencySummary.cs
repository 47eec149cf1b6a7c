namespace CityArray.Bench.Shared;

/// <summary>Latency statistics in milliseconds (nearest-rank percentiles).</summary>
public sealed record LatencySummary(int Count, double Mean, double P50, double P99, double P999, double Max)
{
    /// <summary>An empty summary (no samples).</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Computes the summary of the given samples (milliseconds).</summary>
    public static LatencySummary From(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0) return Empty;
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, sorted.Average(),
            Percentile(sorted, 50), Percentile(sorted, 99), Percentile(sorted, 99.9), sorted[^1]);
    }

    /// <summary>Nearest-rank percentile of already sorted samples.</summary>
    public static double Percentile(double[] sorted, double percentile)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public override string ToString() =>
        $"n={Count} p50={P50:0.###}ms p99={P99:0.###}ms p99.9={P999:0.###}ms max={Max:0.###}ms";
}

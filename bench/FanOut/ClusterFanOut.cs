using System.Globalization;
using System.Text;
using CityArray.LoadGen.Cluster;

namespace CityArray.FanOut;

/// <summary>
/// <c>--cluster</c>: issue #7's figures on a secured PostgreSQL cluster (2 silos, 2 gateways, signs spread over both),
/// measured by the load generator's cluster fan-out scenario (provisioning first, not timed; the raw hub in the same run).
/// </summary>
public static class ClusterFanOut
{
    public static async Task<int> RunAsync(string[] args, int[] sizes, int warm, string output, string postgres)
    {
        if (postgres.Length == 0) postgres = Environment.GetEnvironmentVariable("CITYARRAY_TEST_POSTGRES_URL") ?? "";
        if (postgres.Length == 0)
        {
            Console.Error.WriteLine("--cluster needs PostgreSQL: --postgres postgresql://... or CITYARRAY_TEST_POSTGRES_URL (source .ci/pg-start.sh)");
            return 2;
        }
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var clusterSizes = ClusterSuite.Sizes.For("full");
        clusterSizes = clusterSizes with { FanOut = clusterSizes.FanOut with { Sizes = sizes, WarmRounds = warm } };
        var summary = await ClusterSuite.RunAsync(postgres, clusterSizes, ["fanout"], "fanout " + string.Join(' ', args), null,
            line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"));
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run {summary.Date:yyyy-MM-dd HH:mm} UTC, PostgreSQL cluster (2 silos, 2 gateways), {Environment.ProcessorCount} cores, load average {load} at start, `dotnet run --project bench/FanOut -c Release -- {string.Join(' ', args)}`");
        report.AppendLine();
        foreach (var scenario in summary.Scenarios.Where(s => s.Name == "fanout"))
        {
            foreach (var line in scenario.Notes) report.AppendLine(line);
            report.AppendLine();
            foreach (var t in scenario.Targets) report.AppendLine(CultureInfo.InvariantCulture, $"- {t.Name}: {t.Measured} ({t.Goal}) -> **{t.Verdict}**");
        }
        foreach (var c in summary.Scenarios.SelectMany(s => s.Checks).Where(c => !c.Ok)) report.AppendLine($"- INVARIANT BROKEN: {c.Name} ({c.Detail})");
        Console.WriteLine();
        Console.WriteLine(report);
        if (output.Length > 0) await File.AppendAllTextAsync(output, report + Environment.NewLine);
        return summary.InvariantsHold ? 0 : 1;
    }
}

using System.Globalization;
using System.Text;

namespace CityArray.LoadGen.Reporting;

/// <summary>Writes a suite's summary.json, results.md (tables, checks, targets) and SVG plots into a directory.</summary>
public static class SuiteWriter
{
    public static void Write(SuiteSummary summary, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "summary.json"), summary.ToJson());
        var plots = WritePlots(summary, directory);
        File.WriteAllText(Path.Combine(directory, "results.md"), Markdown(summary, plots));
    }

    public static string Markdown(SuiteSummary summary, IReadOnlyList<string>? plots = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"- Machine: {summary.Machine}");
        md.AppendLine($"- Date: {summary.Date:yyyy-MM-dd HH:mm} UTC, duration {summary.DurationSeconds / 60:0.0} min");
        md.AppendLine($"- Command: `{summary.Command}`");
        md.AppendLine();
        foreach (var s in summary.Scenarios)
        {
            md.AppendLine($"### {s.Name}");
            md.AppendLine();
            var keys = s.Rows.SelectMany(r => r.Metrics.Keys).Distinct().ToList();
            md.AppendLine("| system | size | " + string.Join(" | ", keys) + " |");
            md.AppendLine("|---|---:|" + string.Concat(keys.Select(_ => "---:|")));
            foreach (var r in s.Rows)
                md.AppendLine($"| {r.System} | {r.Size:0} | " + string.Join(" | ", keys.Select(k => r.Metrics.TryGetValue(k, out var v) ? Fmt(v) : "")) + " |");
            md.AppendLine();
            foreach (var t in s.Targets) md.AppendLine($"- Target {t.Name}: measured {Fmt(t.Measured)} (goal {t.Goal}) -> **{t.Verdict}**");
            foreach (var c in s.Checks) md.AppendLine($"- Invariant {c.Name}: {(c.Ok ? "holds" : "**BROKEN**")} ({c.Detail})");
            foreach (var n in s.Notes.Where(n => !n.StartsWith('|'))) md.AppendLine($"- Note: {n}");
            // Notes that are table rows (a scenario's per-round table) are written as a table.
            if (s.Notes.Any(n => n.StartsWith('|'))) md.AppendLine();
            foreach (var n in s.Notes.Where(n => n.StartsWith('|'))) md.AppendLine(n);
            md.AppendLine();
        }
        foreach (var p in plots ?? []) md.AppendLine($"![{Path.GetFileNameWithoutExtension(p)}]({p})");
        return md.ToString();
    }

    private static string Fmt(double v) => v.ToString(Math.Abs(v) >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    private static List<string> WritePlots(SuiteSummary summary, string directory)
    {
        var files = new List<string>();
        void Plot(string file, string title, string x, string y, ScenarioReport s, string metric)
        {
            var series = s.Rows.GroupBy(r => r.System)
                .Select(g => (g.Key, (IReadOnlyList<(double, double)>)g.Where(r => r.Metrics.ContainsKey(metric)).Select(r => (r.Size, r.Metrics[metric])).ToList()))
                .Where(g => g.Item2.Count > 0).ToList();
            if (series.Count == 0) return;
            File.WriteAllText(Path.Combine(directory, file), SvgPlot.Lines(title, x, y, series));
            files.Add(file);
        }
        foreach (var s in summary.Scenarios)
        {
            switch (s.Name)
            {
                case "ingest":
                    Plot("ingest-p99.svg", "Heartbeat to dashboard p99", "signs (heartbeat every 5 s)", "p99 ms", s, "p99_ms");
                    Plot("ingest-throughput.svg", "Heartbeats delivered to dashboards", "signs", "deliveries / s", s, "delivered_per_s");
                    break;
                case "nearby":
                    Plot("nearby-p99.svg", "Nearby search p99 (8 concurrent)", "active events", "p99 ms", s, "p99_ms");
                    break;
                case "fanout":
                    Plot("fanout-p99.svg", "Override to all: p99 until every sign has it (warm)", "signs", "p99 ms", s, "warm_p99_ms");
                    Plot("fanout-memory-per-sign.svg", "Gateway memory per connected sign (worst gateway)", "connected signs", "KB per sign", s, "kb_per_sign_worst_gateway");
                    break;
                case "memory":
                    Plot("memory-per-sign.svg", "Server memory per connected sign", "connected signs", "KB per sign", s, "kb_per_sign");
                    Plot("memory-rss.svg", "Server resident memory", "connected signs", "RSS MB", s, "rss_mb");
                    break;
            }
        }
        return files;
    }
}

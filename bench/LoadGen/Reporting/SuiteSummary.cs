using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CityArray.LoadGen.Reporting;

/// <summary>The JSON summary of a run: machine, date, command, every scenario's rows, checks and targets.</summary>
public sealed class SuiteSummary
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Machine { get; init; } = DescribeMachine();
    public DateTimeOffset Date { get; init; } = DateTimeOffset.UtcNow;
    public string Command { get; init; } = "";
    public double DurationSeconds { get; set; }
    public List<ScenarioReport> Scenarios { get; } = [];
    public bool InvariantsHold => Scenarios.All(s => s.InvariantsHold);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Runs one scenario and adds its report: targets and broken invariants are logged; a scenario that throws is recorded
    /// as a failed check (with <paramref name="onFailure"/>'s extra context in the log) and the suite goes on.
    /// </summary>
    public async Task RunScenarioAsync(string name, Func<Task<ScenarioReport>> run, Action<string> log, Func<string>? onFailure = null)
    {
        try
        {
            var report = await run();
            Scenarios.Add(report);
            foreach (var t in report.Targets) log($"target {t.Name}: {t.Measured} -> {(t.Pass ? "PASS" : "SHORT")}");
            foreach (var c in report.Checks.Where(c => !c.Ok)) log($"INVARIANT BROKEN: {c.Name} ({c.Detail})");
        }
        catch (Exception e)
        {
            var failed = new ScenarioReport(name);
            failed.Check("scenario completed", false, e.GetType().Name + ": " + e.Message);
            Scenarios.Add(failed);
            log($"SCENARIO {name} FAILED: {e}{(onFailure is null ? "" : "\n" + onFailure())}");
        }
    }

    public static string DescribeMachine()
    {
        var cpu = "unknown cpu";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        var memGb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        double load = 0;
        try { load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); } catch (IOException) { }
        return $"{Environment.ProcessorCount} cores ({cpu}), {memGb:0.#} GB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average at start {load:0.#}";
    }
}

namespace CityArray.LoadGen.Reporting;

/// <summary>The outcome of one scenario: measured rows (each system at each size), invariant checks and targets.</summary>
public sealed class ScenarioReport(string name)
{
    public string Name { get; } = name;

    /// <summary>One row per (system, size): e.g. ("cityarray", 10000, {"p99_ms": 12.3, ...}).</summary>
    public List<ResultRow> Rows { get; } = [];

    /// <summary>Invariants (must always hold: the smoke tests assert them).</summary>
    public List<Check> Checks { get; } = [];

    /// <summary>Speed/size targets, printed pass/short (never asserted).</summary>
    public List<TargetCheck> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public bool InvariantsHold => Checks.All(c => c.Ok);

    public ResultRow Add(string system, double size, params (string Key, double Value)[] metrics)
    {
        var row = new ResultRow(system, size, metrics.ToDictionary(m => m.Key, m => Math.Round(m.Value, 3)));
        Rows.Add(row);
        return row;
    }

    public void Check(string name, bool ok, string detail) => Checks.Add(new Check(name, ok, detail));

    public void Target(string name, double measured, string goal, bool pass) => Targets.Add(new TargetCheck(name, Math.Round(measured, 3), goal, pass));
}

/// <summary>One measured row.</summary>
public sealed record ResultRow(string System, double Size, Dictionary<string, double> Metrics);

/// <summary>An invariant and whether it held.</summary>
public sealed record Check(string Name, bool Ok, string Detail);

/// <summary>A target: the measured value, the goal, pass or short.</summary>
public sealed record TargetCheck(string Name, double Measured, string Goal, bool Pass)
{
    public string Verdict => Pass ? "pass" : "short";
}

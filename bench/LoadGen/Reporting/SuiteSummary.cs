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

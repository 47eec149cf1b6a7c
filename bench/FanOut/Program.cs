// The fan-out benchmark (issue #7): N simulated signs over real loopback sockets, an override to all, reach and
// p50/p99 until every sign has it (cold = first override after connecting, then warm rounds), connect time and
// gateway memory per sign; the same client against a minimal raw Kestrel WebSocket hub in the same run.
// Each target runs in a child process (this program in "serve" mode), the signs in this one, so 10,000 signs stay
// under 20,000 open files per process.
//
//   dotnet run --project bench/FanOut -c Release -- --signs 1000,5000,10000 --warm 3 --out docs/benchmarks-fanout.md
//   dotnet run --project bench/FanOut -c Release -- --signs 5000,10000 --connect-only   (the connect storm alone, with
//   the storage work per sign it caused)
//   dotnet run --project bench/FanOut -c Release -- --cluster --signs 2000 --warm 3   # on a PostgreSQL cluster
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CityArray.Bench.Shared;
using CityArray.FanOut;

if (args.Length > 0 && args[0] == "serve-hub") return await Serve.HubAsync(int.Parse(args[1]), int.Parse(args[2]));
if (args.Length > 0 && args[0] == "serve-cityarray") return await Serve.CityArrayAsync(int.Parse(args[1]), args[2]);

var sizes = Arg("--signs", "1000").Split(',').Select(int.Parse).ToArray();
var warm = int.Parse(Arg("--warm", "3"));
var output = Arg("--out", "");
// --cluster: the same figures on a secured PostgreSQL cluster (2 silos, 2 gateways through deploy/local-cluster.sh),
// through the load generator's cluster profile (it provisions the signs first); needs CITYARRAY_TEST_POSTGRES_URL or --postgres.
if (args.Contains("--cluster")) return await ClusterFanOut.RunAsync(args, sizes, warm, output, Arg("--postgres", ""));
var connectOnly = args.Contains("--connect-only");
var storageLines = new List<string>();
var report = new StringBuilder();
report.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()} at the start, `dotnet run --project bench/FanOut -c Release -- {string.Join(' ', args)}`");
report.AppendLine();
report.AppendLine("| signs | target | connect s | memory KB/sign | round | reach | p50 ms | p99 ms | max ms | rate msg/s |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var n in sizes)
{
    foreach (var target in new[] { "raw-hub", "cityarray" })
    {
        var (lines, storage) = await Bench.RunAsync(target, n, warm, connectOnly);
        if (storage is not null) storageLines.Add(storage);
        foreach (var line in lines)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }
    }
}
report.AppendLine();
report.AppendLine($"Load average at the end: {LoadAverage()}.");
if (storageLines.Count > 0)
{
    report.AppendLine();
    foreach (var line in storageLines) report.AppendLine($"- {line}");
}
Console.WriteLine();
Console.WriteLine(report);
if (output.Length > 0) await File.AppendAllTextAsync(output, report + Environment.NewLine);
return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

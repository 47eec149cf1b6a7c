using System.Diagnostics;
using CityArray.Bench.Shared;

namespace CityArray.Tests.Infrastructure;

/// <summary>
/// A multi-process cluster on loopback (N silos, M gateways on PostgreSQL) driven through
/// <c>deploy/local-cluster.sh</c>, the same script operators and benchmarks use; processes run from the
/// test's build output, logs and pidfiles live in a scratch folder.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(string script, string directory, Dictionary<string, string> environment)
    {
        _script = script;
        Directory = directory;
        _environment = environment;
    }

    /// <summary>The folder with cluster.env, logs/ and pids/.</summary>
    public string Directory { get; }

    public int Silos { get; private set; }
    public int Gateways { get; private set; }

    /// <summary>Values the script wrote to cluster.env (ports, ids, URLs).</summary>
    public IReadOnlyDictionary<string, string> State { get; private set; } = new Dictionary<string, string>();

    /// <summary>Starts <paramref name="silos"/> silos and <paramref name="gateways"/> gateways and waits until every gateway is ready.</summary>
    public static async Task<LocalCluster> StartAsync(string databaseUrl, int silos, int gateways, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DATABASE_URL"] = databaseUrl };
        env.TryAdd("Logging__LogLevel__Default", "Warning");
        foreach (var (key, value) in ClusterSecurity.Env) env.TryAdd(key, value); // cluster mode is always secured
        var cluster = new LocalCluster(FindScript(), TempDirectory.Create("cluster"), env) { Silos = silos, Gateways = gateways };
        try
        {
            await cluster.RunAsync(TimeSpan.FromMinutes(4), "start", "--silos", silos.ToString(), "--gateways", gateways.ToString(),
                "--bin", AppContext.BaseDirectory);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        cluster.State = File.ReadAllLines(Path.Combine(cluster.Directory, "cluster.env"))
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('\''));
        return cluster;
    }

    public string ClusterId => State["CLUSTER_ID"];
    public string ServiceId => State["SERVICE_ID"];

    /// <summary>http://127.0.0.1:port of gateway <paramref name="index"/> (1-based).</summary>
    public Uri Http(int index) => new(State[$"GATEWAY_{index}_URL"]);

    /// <summary>ws://127.0.0.1:port{path} of gateway <paramref name="index"/>.</summary>
    public Uri Ws(int index, string path) => new($"ws://127.0.0.1:{State[$"GATEWAY_{index}_PORT"]}{path}");

    public Task KillSiloAsync(int index) => RunAsync(TimeSpan.FromSeconds(30), "kill-silo", index.ToString());
    public Task TermSiloAsync(int index) => RunAsync(TimeSpan.FromSeconds(60), "term-silo", index.ToString());
    public Task StartSiloAsync(int index) => RunAsync(TimeSpan.FromSeconds(30), "start-silo", index.ToString());
    public Task KillGatewayAsync(int index) => RunAsync(TimeSpan.FromSeconds(30), "kill-gateway", index.ToString());
    public Task TermGatewayAsync(int index) => RunAsync(TimeSpan.FromSeconds(60), "term-gateway", index.ToString());
    public Task StartGatewayAsync(int index) => RunAsync(TimeSpan.FromSeconds(30), "start-gateway", index.ToString());

    /// <summary>Kills every silo, waits <paramref name="gapSeconds"/> (a service manager's restart delay) and starts them again.</summary>
    public Task RestartSilosAsync(int gapSeconds) => RunAsync(TimeSpan.FromSeconds(60 + gapSeconds), "restart-silos", gapSeconds.ToString());

    /// <summary>Waits until every running gateway answers /ready.</summary>
    public Task WaitReadyAsync(int seconds = 120) => RunAsync(TimeSpan.FromSeconds(seconds + 10), "wait-ready", seconds.ToString());

    /// <summary>The process id in the pidfile of <paramref name="name"/> (silo-1, gateway-2, ...).</summary>
    public int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(Directory, "pids", name + ".pid")).Trim());

    /// <summary>The log of one process (silo-1, gateway-2, ...).</summary>
    public string Log(string name)
    {
        var path = Path.Combine(Directory, "logs", name + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    /// <summary>The last lines of every log, for failure messages.</summary>
    public string Logs(int lines = 40) => string.Join("\n", System.IO.Directory.GetFiles(Path.Combine(Directory, "logs"))
        .Order().Select(f => $"--- {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(lines))}"));

    private Task RunAsync(TimeSpan timeout, params string[] args) =>
        ClusterScript.RunAsync(_script, Directory, _environment, timeout, () => Logs(), args);

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "local-cluster.sh");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("deploy/local-cluster.sh not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!File.Exists(Path.Combine(Directory, "cluster.env"))) return;
        try { await RunAsync(TimeSpan.FromSeconds(90), "stop"); }
        catch (Exception)
        {
            foreach (var pidfile in System.IO.Directory.GetFiles(Path.Combine(Directory, "pids")))
            {
                try { Process.GetProcessById(int.Parse(File.ReadAllText(pidfile).Trim())).Kill(); }
                catch (Exception) { }
            }
        }
    }
}

using CityArray.Bench.Shared;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CityArray.LoadGen.Infrastructure;
using CityArray.LoadGen.Scenarios;
using CityArray.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CityArray.LoadGen.Cluster;

/// <summary>
/// A secured CityArray cluster on PostgreSQL for the benchmarks: a fresh database per run, silos and gateways started
/// through <c>deploy/local-cluster.sh</c> (the script operators and the fault tests use), the bootstrap admin signed in,
/// and an Orleans client of the same cluster for seeding (and the grain-call baseline). Everything here happens before
/// the measured parts: provisioning signs (<c>PUT /api/signs/{id}</c>, secret kept for <c>?token=</c>) and registering
/// users (<c>POST /api/users/register</c>, session token kept) are never timed.
/// </summary>
public sealed class ClusterTarget : IAsyncDisposable
{
    private const string AdminUsername = "bench-admin";
    private readonly string _script;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private readonly string _adminConnectionString;
    private readonly string _databaseName;
    private IHost? _client;
    private long _phone = 3_100_000_000 + Random.Shared.Next(0, 9_000_000) * 10L;

    private ClusterTarget(string script, string directory, Dictionary<string, string> environment, string adminConnectionString, string databaseName, string databaseUrl)
    {
        _script = script;
        _directory = directory;
        _environment = environment;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        DatabaseUrl = databaseUrl;
    }

    /// <summary>The fresh database of this run (postgresql://...).</summary>
    public string DatabaseUrl { get; }

    /// <summary>http://127.0.0.1:port of every gateway, in order.</summary>
    public Uri[] Gateways { get; private set; } = [];

    /// <summary>One client per gateway, signed in as the admin (admin includes operator and viewer).</summary>
    public HttpClient[] Admin { get; private set; } = [];

    /// <summary>The admin's operator token (dashboards connect with <c>?access_token=</c>).</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>An Orleans client of this cluster (seeding collectibles and events; the grain-call baseline).</summary>
    public IGrainFactory Grains => _client?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("not started");

    public int SiloCount { get; private set; }

    /// <summary>Gateway for the i-th client: clients are spread round-robin over the gateways.</summary>
    public int GatewayIndexFor(int i) => i % Gateways.Length;

    /// <summary>
    /// Creates a fresh database on the server of <paramref name="postgresUrl"/> and starts <paramref name="silos"/> silos and
    /// <paramref name="gateways"/> gateways on it from <paramref name="bin"/> (a folder holding CityArray.Silo.dll and
    /// CityArray.Gateway.dll: this program's own folder by default).
    /// </summary>
    public static async Task<ClusterTarget> StartAsync(string postgresUrl, int silos, int gateways, Action<string> log,
        IReadOnlyDictionary<string, string>? environment = null, string? bin = null)
    {
        var adminConnection = ClaimStormScenario.ToConnectionString(postgresUrl);
        var name = "cityarray_bench_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var url = new UriBuilder(postgresUrl) { Path = "/" + name }.Uri.ToString();
        // Cluster mode is always secured: a random key and admin password for this run only (never written anywhere
        // but the processes' environment).
        var env = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = url,
            ["SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)),
            ["ADMIN_USERNAME"] = AdminUsername,
            ["ADMIN_PASSWORD"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)),
            // Every request of the benchmark comes from 127.0.0.1: the per-address limits would measure themselves.
            ["RATE_LIMIT_REST"] = "10000000",
            ["RATE_LIMIT_SIGNIN"] = "1000",
            // Signs in the fan-out rounds heartbeat rarely: keep them online and unpinged while measured.
            ["SIGN_OFFLINE_AFTER_SECONDS"] = "600",
            ["SIGN_PING_SECONDS"] = "600",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Error",
            ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Warning",
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        var directory = Directory.CreateTempSubdirectory("cityarray-bench-cluster-").FullName;
        var target = new ClusterTarget(FindScript(), directory, env, adminConnection, name, url) { SiloCount = silos };
        try
        {
            var clock = Stopwatch.StartNew();
            // Started without the script's own 180 s wait, then waited for as long as CITYARRAY_CLUSTER_READY_SECONDS
            // (default 600): on a loaded machine two silos and two gateways can take minutes to form a cluster.
            await target.RunScriptAsync(TimeSpan.FromMinutes(2), "start", "--silos", silos.ToString(), "--gateways", gateways.ToString(),
                "--bin", bin ?? AppContext.BaseDirectory, "--no-wait");
            var readySeconds = int.TryParse(Environment.GetEnvironmentVariable("CITYARRAY_CLUSTER_READY_SECONDS"), out var r) ? r : 600;
            await target.RunScriptAsync(TimeSpan.FromSeconds(readySeconds + 30), "wait-ready", readySeconds.ToString());
            var state = target.State();
            target.Gateways = Enumerable.Range(1, gateways).Select(i => new Uri(state[$"GATEWAY_{i}_URL"])).ToArray();
            log($"cluster: {silos} silos, {gateways} gateways ready in {clock.Elapsed.TotalSeconds:0.0} s on database {name} ({string.Join(", ", target.Gateways.Select(g => g.Authority))})");
            target.Admin = target.Gateways.Select(g => LoadDriver.Http(g, 128)).ToArray();
            // The script's wait skips a gateway that already exited: every gateway must answer /ready itself.
            foreach (var http in target.Admin)
            {
                using var ready = await http.GetAsync("/ready");
                if (!ready.IsSuccessStatusCode) throw new InvalidOperationException($"{http.BaseAddress} /ready answered {(int)ready.StatusCode}");
            }
            target.AdminToken = await target.SignInAsync(env["ADMIN_PASSWORD"]);
            foreach (var http in target.Admin) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.AdminToken);
            await target.StartClientAsync(state);
            return target;
        }
        catch (Exception)
        {
            log("cluster logs:\n" + target.Logs());
            await target.DisposeAsync();
            throw;
        }
    }

    private async Task<string> SignInAsync(string password)
    {
        using var response = await Admin[0].PostAsJsonAsync("/api/auth/token", new { username = AdminUsername, password });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"admin sign-in: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task StartClientAsync(IReadOnlyDictionary<string, string> state)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = DatabaseUrl,
            ["ORLEANS_CLUSTER_ID"] = state["CLUSTER_ID"],
            ["ORLEANS_SERVICE_ID"] = state["SERVICE_ID"],
        }).Build();
        var settings = CityArraySettings.From(config);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseCityArray(settings));
        _client = builder.Build();
        await _client.StartAsync();
    }

    /// <summary>
    /// Provisions signs <c>{prefix}{from}</c>..<c>{prefix}{to-1}</c> as the admin (<c>PUT /api/signs/{id}</c>, spread over
    /// the gateways) and returns each sign's secret by id. Not timed.
    /// </summary>
    public async Task<Dictionary<string, string>> ProvisionSignsAsync(string prefix, int from, int to, int concurrency = 32)
    {
        var secrets = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var id = $"{prefix}{i}";
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var response = await Admin[GatewayIndexFor(i)].PutAsJsonAsync($"/api/signs/{id}", new { name = id });
                    var text = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"provision {id}: {(int)response.StatusCode} {text}");
                    secrets[id] = JsonDocument.Parse(text).RootElement.GetProperty("secret").GetString()!;
                    return;
                }
                catch (Exception) when (attempt < 4)
                {
                    await Task.Delay(500 * attempt);
                }
            }
        });
        return new Dictionary<string, string>(secrets);
    }

    /// <summary>Registers <paramref name="count"/> users (phone registration, spread over the gateways); returns (id, session token). Not timed.</summary>
    public async Task<(string Id, string Token)[]> RegisterUsersAsync(int count, int concurrency = 16)
    {
        var users = new (string, string)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var phone = "+57" + Interlocked.Increment(ref _phone);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var http = new HttpRequestMessage(HttpMethod.Post, "/api/users/register") { Content = JsonContent.Create(new { phone, name = $"Bench User {i}" }) };
                    using var response = await Admin[GatewayIndexFor(i)].SendAsync(http);
                    var text = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"register {phone}: {(int)response.StatusCode} {text}");
                    var body = JsonDocument.Parse(text).RootElement;
                    users[i] = (body.GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
                    return;
                }
                catch (Exception) when (attempt < 4)
                {
                    await Task.Delay(500 * attempt);
                }
            }
        });
        return users;
    }

    /// <summary>SIGKILLs gateway <paramref name="index"/> (0-based), as a crash.</summary>
    public Task KillGatewayAsync(int index) => RunScriptAsync(TimeSpan.FromSeconds(60), "kill-gateway", (index + 1).ToString());

    /// <summary>Starts gateway <paramref name="index"/> (0-based) again on its port and waits until every gateway is ready.</summary>
    public async Task StartGatewayAsync(int index)
    {
        await RunScriptAsync(TimeSpan.FromSeconds(60), "start-gateway", (index + 1).ToString());
        await RunScriptAsync(TimeSpan.FromSeconds(210), "wait-ready", "180");
    }

    /// <summary>Resident set size of gateway <paramref name="index"/> (0-based), from /proc.</summary>
    public long GatewayResidentBytes(int index)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "pids", $"gateway-{index + 1}.pid")).Trim());
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    /// <summary>The last lines of every process log (for failure messages).</summary>
    public string Logs(int lines = 30)
    {
        var logs = Path.Combine(_directory, "logs");
        if (!Directory.Exists(logs)) return "";
        return string.Join("\n", Directory.GetFiles(logs).Order().Select(f => $"--- {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(lines))}"));
    }

    private Dictionary<string, string> State() =>
        File.ReadAllLines(Path.Combine(_directory, "cluster.env")).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('\''));

    private Task RunScriptAsync(TimeSpan timeout, params string[] args) =>
        ClusterScript.RunAsync(_script, _directory, _environment, timeout, () => Logs(), args);

    /// <summary>deploy/local-cluster.sh above this program's folder or the working directory (CITYARRAY_CLUSTER_SCRIPT overrides).</summary>
    private static string FindScript()
    {
        if (Environment.GetEnvironmentVariable("CITYARRAY_CLUSTER_SCRIPT") is { Length: > 0 } given) return given;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "deploy", "local-cluster.sh");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException("deploy/local-cluster.sh not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var http in Admin) http.Dispose();
        if (_client is not null)
        {
            try { await _client.StopAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
            _client.Dispose();
        }
        if (File.Exists(Path.Combine(_directory, "cluster.env")))
        {
            try { await RunScriptAsync(TimeSpan.FromSeconds(120), "stop"); }
            catch (Exception)
            {
                foreach (var pidfile in Directory.GetFiles(Path.Combine(_directory, "pids")))
                {
                    try { Process.GetProcessById(int.Parse(File.ReadAllText(pidfile).Trim())).Kill(); } catch (Exception) { }
                }
            }
        }
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException) { }
        try { Directory.Delete(_directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Diagnostics;
using System.Text;

namespace CityArray.LoadGen.Infrastructure;

/// <summary>
/// A server in its own process (the CityArray gateway in embedded mode, or this program's raw hub), so its
/// memory can be read from /proc and it can be killed and restarted on the same port and data.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string[] _args;
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ChildProcess(string dll, string[] args, Dictionary<string, string> environment, Uri baseUri)
    {
        _dll = dll;
        _args = args;
        _environment = environment;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public int Pid => _process?.Id ?? 0;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The CityArray gateway (embedded silo, SQLite in <paramref name="dataDirectory"/>).</summary>
    public static ChildProcess Gateway(string dataDirectory, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = FreePort.Find();
        var env = new Dictionary<string, string>
        {
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(),
            ["DATABASE_URL"] = $"sqlite:///{Path.Combine(dataDirectory, "cityarray.db")}",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Error",
            ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Warning",
            // The gateway's own cap (WS_MAX_CONNECTIONS, 10,000 by default) would refuse the dashboards of a 10,000-sign
            // ingest round and every socket past 10,000 in the 15,000-sign memory round; the process limit is 20,000 files.
            ["WS_MAX_CONNECTIONS"] = "19000",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) env[k] = v;
        return new ChildProcess(Path.Combine(AppContext.BaseDirectory, "CityArray.Gateway.dll"), [], env, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>The raw Kestrel hub baseline (<c>loadgen hub</c>).</summary>
    public static ChildProcess Hub(string? relayPrefix = null)
    {
        var port = FreePort.Find();
        string[] args = relayPrefix is null ? ["hub", "--port", port.ToString()] : ["hub", "--port", port.ToString(), "--relay", relayPrefix];
        return new ChildProcess(Path.Combine(AppContext.BaseDirectory, "CityArray.LoadGen.dll"), args, [], new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Starts the process and waits until <paramref name="readyPath"/> answers 2xx (or, for the hub, any HTTP answer).</summary>
    public async Task StartAsync(string readyPath = "/health", TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet", [_dll, .. _args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (k, v) in _environment) info.Environment[k] = v;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{_dll} exited with {process.ExitCode}:\n{Output}");
            try
            {
                var response = await http.GetAsync(new Uri(BaseUri, readyPath));
                if (response.IsSuccessStatusCode || readyPath != "/health") return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{_dll} did not become ready:\n{Output}");
    }

    /// <summary>Resident set size of the process in bytes (Linux /proc).</summary>
    public long ResidentBytes()
    {
        if (_process is null) return 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        return 0;
    }

    /// <summary>Kills the process at once (no graceful shutdown), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 200_000) _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}

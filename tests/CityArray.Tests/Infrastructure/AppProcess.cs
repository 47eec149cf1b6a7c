using System.Diagnostics;
using System.Text;

namespace CityArray.Tests.Infrastructure;

/// <summary>
/// A real CityArray process (the gateway or a standalone silo) started from the build output, with its
/// environment set by the test; output is kept for failure messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>The operating-system process id (to read its working set, for instance).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet CityArray.{app}.dll</c> (app = Gateway or Silo) with the given environment.</summary>
    public static AppProcess Start(string app, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, $"CityArray.{app}.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Orleans.Runtime.Silo"] = "Warning";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app_ = new AppProcess(process);
        process.OutputDataReceived += (_, e) => app_.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app_.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app_;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; fails with the process output otherwise.</summary>
    public async Task WaitHealthyAsync(string url, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"process exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} not healthy in time:\n{Output}");
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"process exited with {_process.ExitCode}:\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{text}' not seen in time:\n{Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>Stops the process gracefully (SIGTERM), killing it if it does not exit in time.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term!.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { Kill(); }
    }

    /// <summary>Kills the process at once, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
    }
}

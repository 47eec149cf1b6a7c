using System.Diagnostics;

namespace CityArray.Bench.Shared;

/// <summary>
/// Runs <c>deploy/local-cluster.sh</c> (start, stop, kill...) on one cluster folder with the given environment, bounded by a
/// timeout; a timeout or a non-zero exit throws with the script's output and the cluster's logs. Shared by the fault
/// tests and the benchmark's cluster profile, so both drive the cluster the way ops do.
/// </summary>
public static class ClusterScript
{
    /// <summary>Runs <c>bash script args... --dir directory</c>; <paramref name="logs"/> gives the cluster's log tails for errors.</summary>
    public static async Task RunAsync(string script, string directory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, Func<string> logs, params string[] args)
    {
        var info = new ProcessStartInfo("bash", [script, .. args, "--dir", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', args)} took over {timeout}\n{logs()}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"local-cluster.sh {string.Join(' ', args)} exited {process.ExitCode}: {await stdout}{await stderr}\n{logs()}");
    }
}

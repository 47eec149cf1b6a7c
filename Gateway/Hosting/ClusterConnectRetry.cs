namespace CityArray.Gateway.Hosting;

/// <summary>Keeps a cluster-mode gateway trying to reach the silos while they start, instead of failing at once.</summary>
public sealed class ClusterConnectRetry(ILogger<ClusterConnectRetry> logger) : IClientConnectionRetryFilter
{
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempt);
        logger.LogWarning("Cluster not reachable yet (attempt {Attempt}): {Reason}", attempt, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
        return true;
    }
}

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// One per gateway: raised when the gateway regained the cluster (the connection observer) or found that the cluster
/// forgot it (its registration was new again: the silos restarted), so whatever it holds there is taken again at once.
/// </summary>
public sealed class ClusterRecovery
{
    /// <summary>Raised when the connection to the cluster came back.</summary>
    public event Action? Recovered;

    /// <summary>Raised when the cluster no longer knew this gateway (stream listeners re-subscribe; not the gateway link).</summary>
    public event Action? Forgotten;

    /// <summary>Raises <see cref="Recovered"/>.</summary>
    public void Raise() => Recovered?.Invoke();

    /// <summary>Raises <see cref="Forgotten"/>.</summary>
    public void RaiseForgotten() => Forgotten?.Invoke();
}

namespace CityArray.Gateway.Infrastructure;

/// <summary>
/// One per gateway: raised when the gateway regained the cluster (the connection observer) or found that the cluster
/// forgot it (its registration was new again: the silos restarted), so whatever it holds there is taken again at once;
/// and when a silo died, so what it listens to is woken at once rather than at its reminder's next tick.
/// </summary>
public sealed class ClusterRecovery
{
    /// <summary>Raised when the connection to the cluster came back.</summary>
    public event Action? Recovered;

    /// <summary>Raised when the cluster no longer knew this gateway (stream listeners re-subscribe; not the gateway link).</summary>
    public event Action? Forgotten;

    /// <summary>
    /// Raised when the cluster reports that a silo died since this gateway's last registration: grains that lived there
    /// are re-activated elsewhere on their next call, and their timers run again only from then on.
    /// </summary>
    public event Action? SiloLost;

    /// <summary>Raises <see cref="Recovered"/>.</summary>
    public void Raise() => Recovered?.Invoke();

    /// <summary>Raises <see cref="Forgotten"/>.</summary>
    public void RaiseForgotten() => Forgotten?.Invoke();

    /// <summary>Raises <see cref="SiloLost"/>.</summary>
    public void RaiseSiloLost() => SiloLost?.Invoke();
}

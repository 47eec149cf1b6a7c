namespace CityArray.Gateway.Infrastructure;

/// <summary>One per gateway: raised when the gateway regained the cluster, so whatever it holds there is taken again at once.</summary>
public sealed class ClusterRecovery
{
    /// <summary>Raised when the connection to the cluster came back.</summary>
    public event Action? Recovered;

    /// <summary>Raises <see cref="Recovered"/>.</summary>
    public void Raise() => Recovered?.Invoke();
}

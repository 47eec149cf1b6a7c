using CityArray.Gateway.Infrastructure;

namespace CityArray.Gateway.Signs;

/// <summary>
/// Orleans tells a cluster-mode gateway when it loses and regains the cluster; on regaining it the gateway registers its
/// channel at once and re-takes its stream subscriptions (<see cref="ClusterRecovery"/>).
/// </summary>
public sealed class GatewayClusterStatus(ClusterRecovery recovery, ILogger<GatewayClusterStatus> logger) : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => logger.LogWarning("Lost the connection to the cluster");

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (!connectionRecovered && !(previousNumberOfGateways == 0 && currentNumberOfGateways > 0)) return;
        logger.LogInformation("Connection to the cluster recovered ({Gateways} silo gateways)", currentNumberOfGateways);
        recovery.Raise();
    }
}

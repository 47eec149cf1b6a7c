namespace CityArray.Grains.Interfaces.Signs;

/// <summary>
/// The gateway directory's answer to a registration: whether the gateway must connect every sign it holds to its grain
/// again (it was not registered: the cluster restarted or forgot it; or a silo died since its last registration, so the
/// grains that lived there were re-activated elsewhere without knowing their sockets).
/// </summary>
[GenerateSerializer, Immutable, Alias("CityArray.GatewayRegistration")]
public sealed record GatewayRegistration(
    [property: Id(0)] bool WasKnown,
    [property: Id(1)] bool SiloLost)
{
    /// <summary>True when the gateway must connect its signs to their grains again.</summary>
    public bool CatchUp => !WasKnown || SiloLost;
}

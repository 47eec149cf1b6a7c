using CityArray.Gateway.Infrastructure;
using CityArray.Grains.Interfaces.Signs;
using CityArray.Grains.Interfaces.Streams;

namespace CityArray.Gateway.Signs;

/// <summary>
/// Subscribes once per gateway to the fleet broadcast stream and sends each broadcast (an override or its cancel) to the covered
/// signs whose sockets this gateway holds: serialized once, queued per socket, no per-sign stream traffic.
/// </summary>
public sealed class SignBroadcastHub(IClusterClient cluster, SignConnections connections, ILogger<SignBroadcastHub> logger)
    : FleetStreamListener<SignBroadcast>(cluster, logger)
{
    protected override string Namespace => StreamNames.SignBroadcast;

    protected override Task OnEventAsync(SignBroadcast broadcast)
    {
        var bytes = JsonWire.ToUtf8(SignWire.ToMessage(new SignCommand(broadcast.Type, Override: broadcast.Override)));
        foreach (var signId in broadcast.SignIds) connections.Send(signId, bytes);
        return Task.CompletedTask;
    }
}

using System.Net;
using System.Net.Sockets;

namespace CityArray.Silo.Hosting;

/// <summary>Finds a TCP port that is free on loopback right now.</summary>
public static class FreePort
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

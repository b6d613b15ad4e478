using System.Net;
using System.Net.Sockets;

namespace Torace.AppHost.LocalInfrastructure;

public static class LocalPorts
{
    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace TinyKv.Network.Tests.Cluster;

/// <summary>Loopback ports the OS reports free (bound to port 0, then released).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Microsoft.Extensions.Logging;

namespace TinyKv.Actors;

/// <summary>
/// Connects a <see cref="ClusterClient"/> over TCP: gateways are the Active silos of the membership
/// table; the client listens on no port, and silos answer on the connections it opens (a response
/// produced on another silo comes back through the gateway the call went to). When a gateway dies,
/// its pending calls fail once with <see cref="SiloUnavailableException"/> as soon as the client's
/// membership view says so, and later calls go to the live gateways: no call completes twice.
/// </summary>
public static class TcpClusterClient
{
    public static Task<ClusterClient> ConnectAsync(TcpClusterClientOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var table = options.MembershipTable ?? new AdoNetMembershipTable(options.Clustering, options.ClusterId);
        var transportOptions = options.Transport;
        transportOptions.ClusterId = options.ClusterId;
        transportOptions.SharedSecret = options.SharedSecret;
        var transport = new TcpMessageTransport(transportOptions, loggers, acceptConnections: false);
        return ClusterClient.ConnectAsync(
            table,
            transport,
            TimeProvider.System,
            options.Messaging,
            options.Liveness,
            logger: loggers?.CreateLogger("TinyKv.Actors.ClusterClient"),
            cancellationToken: cancellationToken);
    }
}

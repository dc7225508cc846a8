using Microsoft.Extensions.Logging;
using TinyKv.Actors.Networking;

namespace TinyKv.Actors;

/// <summary>
/// Connects a <see cref="ClusterClient"/> over TCP. Gateways are the Active silos of the membership
/// table, or the static endpoints of <see cref="TcpClusterClientOptions.Gateways"/>; the client
/// listens on no port, and silos answer on the connections it opens (a response produced on another
/// silo comes back through the gateway the call went to). When a gateway dies, its pending calls fail
/// once with <see cref="SiloUnavailableException"/> as soon as the client's membership view says so
/// (with static gateways: when its connection drops and a new dial fails), and later calls go to the
/// live gateways: no call completes twice.
/// </summary>
public static class TcpClusterClient
{
    /// <summary>
    /// Connects. With static gateways, throws <see cref="SiloUnavailableException"/> when no endpoint
    /// answers and <see cref="HandshakeRefusedException"/> when none accepts the cluster id or secret.
    /// </summary>
    public static async Task<ClusterClient> ConnectAsync(TcpClusterClientOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var transportOptions = options.Transport;
        transportOptions.ClusterId = options.ClusterId;
        transportOptions.SharedSecret = options.SharedSecret;
        var transport = new TcpMessageTransport(transportOptions, loggers, acceptConnections: false);
        var gateways = options.Gateways.Count > 0 ? new StaticGatewayTable(transport, [.. options.Gateways]) : null;
        var table = gateways ?? options.MembershipTable ?? new AdoNetMembershipTable(options.Clustering, options.ClusterId);
        ClusterClient client;
        try
        {
            client = await ClusterClient.ConnectAsync(
                table,
                transport,
                TimeProvider.System,
                options.Messaging,
                options.Liveness,
                logger: loggers?.CreateLogger("TinyKv.Actors.ClusterClient"),
                beforeFirstRead: gateways is null ? null : gateways.ConnectAsync,
                cancellationToken: cancellationToken);
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }

        if (gateways is not null)
        {
            transport.DialedConnectionLost += _ => client.Work.Run(client.RefreshMembershipAsync, _ => { });
        }

        return client;
    }
}

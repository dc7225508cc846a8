using System.Globalization;
using System.Net;

namespace TinyKv.Actors;

/// <summary>A cluster client over TCP (<see cref="TcpClusterClient"/>, <see cref="ClusterClientServiceExtensions.AddClusterClient"/>).</summary>
public sealed class TcpClusterClientOptions
{
    /// <summary>The cluster to join; must match the silos' cluster id. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The silos' shared secret, when they have one. Default none.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Where gateways are found: the silos' ADO.NET membership database (unless <see cref="Gateways"/> are given).</summary>
    public AdoNetOptions Clustering { get; set; } = new();

    /// <summary>
    /// Static gateways (Orleans' static clustering): silo endpoints the client dials directly instead
    /// of reading a membership table; each answers with its current address in the handshake. Calls
    /// fail over between them. Default none: gateways come from <see cref="Clustering"/>.
    /// </summary>
    public IList<EndPoint> Gateways { get; } = new List<EndPoint>();

    /// <summary>Uses these silo endpoints as the gateways (see <see cref="Gateways"/>).</summary>
    public TcpClusterClientOptions UseStaticClustering(params EndPoint[] gateways)
    {
        foreach (var gateway in gateways)
        {
            Gateways.Add(gateway);
        }

        return this;
    }

    /// <summary>Uses these "host:port" endpoints as the gateways; throws <see cref="ArgumentException"/> naming one that is not host:port.</summary>
    public TcpClusterClientOptions UseStaticClustering(params string[] gateways) =>
        UseStaticClustering([.. gateways.Select(ParseEndPoint)]);

    /// <summary>A membership table to read instead of <see cref="Clustering"/> (tests, custom tables).</summary>
    public IMembershipTable? MembershipTable { get; set; }

    /// <summary>Call behaviour (response timeout). Default Orleans' defaults.</summary>
    public SiloMessagingOptions Messaging { get; set; } = new();

    /// <summary>How often the client re-reads the gateway list (TableRefreshTimeout). Default 60 s.</summary>
    public ClusterMembershipOptions Liveness { get; set; } = new();

    /// <summary>Transport settings; ClusterId and SharedSecret above override its own.</summary>
    public TcpTransportOptions Transport { get; set; } = new();

    /// <summary>"host:port" or "[v6]:port" as an endpoint.</summary>
    public static EndPoint ParseEndPoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPEndPoint.TryParse(text, out var ip) && ip.Port != 0)
        {
            return ip;
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon ||
            !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"gateway endpoint '{text}' is not host:port", nameof(text));
        }

        return new DnsEndPoint(text[..colon], port);
    }
}

namespace TinyKv.Actors;

/// <summary>A cluster client over TCP (<see cref="TcpClusterClient"/>, <see cref="ClusterClientServiceExtensions.AddClusterClient"/>).</summary>
public sealed class TcpClusterClientOptions
{
    /// <summary>The cluster to join; must match the silos' cluster id. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The silos' shared secret, when they have one. Default none.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Where gateways are found: the silos' ADO.NET membership database.</summary>
    public AdoNetOptions Clustering { get; set; } = new();

    /// <summary>A membership table to read instead of <see cref="Clustering"/> (tests, custom tables).</summary>
    public IMembershipTable? MembershipTable { get; set; }

    /// <summary>Call behaviour (response timeout). Default Orleans' defaults.</summary>
    public SiloMessagingOptions Messaging { get; set; } = new();

    /// <summary>How often the client re-reads the gateway list (TableRefreshTimeout). Default 60 s.</summary>
    public ClusterMembershipOptions Liveness { get; set; } = new();

    /// <summary>Transport settings; ClusterId and SharedSecret above override its own.</summary>
    public TcpTransportOptions Transport { get; set; } = new();
}

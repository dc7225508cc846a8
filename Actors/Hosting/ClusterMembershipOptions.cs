namespace TinyKv.Actors;

/// <summary>Liveness (Orleans' ClusterMembershipOptions; same defaults).</summary>
public sealed class ClusterMembershipOptions
{
    /// <summary>Missed probes in a row before a silo suspects its target. Default 3.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Probe period, and the time a probe has to be answered. Default 5 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many silos each silo probes (its successors on the ring). Default 3.</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Fresh votes that declare a silo dead (capped at half the active silos, rounded up). Default 2.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>A vote older than this no longer counts. Default 2 min.</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a silo writes its I-am-alive time. Default 5 min.</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a node re-reads the table. Default 60 s.</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

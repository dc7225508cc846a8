using System.Collections.Concurrent;

namespace TinyKv.Actors;

/// <summary>
/// The shared parts behind UseLocalhostClustering: per cluster id, one in-memory membership table,
/// grain directory, grain storage and network for every silo and client of this process.
/// </summary>
public sealed class LocalhostCluster
{
    private static readonly ConcurrentDictionary<string, LocalhostCluster> Clusters = new(StringComparer.Ordinal);

    private LocalhostCluster(TimeProvider time)
    {
        Network = new InMemoryNetwork(time);
    }

    public InMemoryMembershipTable MembershipTable { get; } = new();

    public InMemoryGrainDirectory Directory { get; } = new();

    public MemoryGrainStorage Storage { get; } = new();

    public InMemoryNetwork Network { get; }

    public static LocalhostCluster For(string clusterId) => Clusters.GetOrAdd(clusterId, static _ => new LocalhostCluster(TimeProvider.System));
}

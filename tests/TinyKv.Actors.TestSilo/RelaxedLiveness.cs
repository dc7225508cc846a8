namespace TinyKv.Actors.TestSilo;

/// <summary>
/// Liveness settings for benchmarks: a silo is declared dead only after a minute without a pong.
/// A benchmark saturates both cores on purpose, and on a shared machine the default five-second
/// probes (three misses, and one vote suffices in a pair) declared a live silo dead mid-run.
/// </summary>
public static class RelaxedLiveness
{
    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(10);
        options.NumMissedProbesLimit = 6;
    }
}

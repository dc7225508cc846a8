namespace TinyKv.Actors.TestSilo;

/// <summary>Liveness settings for tests: a dead silo is declared dead within about five seconds.</summary>
public static class FastLiveness
{
    public static void Apply(ClusterMembershipOptions options)
    {
        // 1 s, not less: on a loaded 2-core machine a silo can stall for half a second, and three
        // such stalls in a row would declare a live silo dead (one vote suffices in a pair).
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromMilliseconds(500);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}

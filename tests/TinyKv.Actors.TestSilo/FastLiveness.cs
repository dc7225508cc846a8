namespace TinyKv.Actors.TestSilo;

/// <summary>Liveness settings for tests: a dead silo is declared dead within about two seconds.</summary>
public static class FastLiveness
{
    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromMilliseconds(500);
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromMilliseconds(500);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}

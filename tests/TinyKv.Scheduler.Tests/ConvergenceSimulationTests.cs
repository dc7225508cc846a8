using TinyKv.Scheduler.Meta;
using TinyKv.TestKit;
using Xunit.Abstractions;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// Seeded simulations (<see cref="ClusterSimulation"/>): the scheduler must reach a balanced state
/// and repair lost replicas without ever proposing a second peer of a region on one store.
/// Balanced means leader counts within one of the mean, and region counts at balance-region's fixed
/// point: TinyKV's rule moves only when the size difference exceeds twice the region size (here more
/// than two regions), so it stops with max − min ≤ 2 regions — every store strictly within two of
/// the mean; it can rightly stop at [33, 31, 31, ...].
/// </summary>
public sealed class ConvergenceSimulationTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds() => [.. TestSeed.Seeds(4)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Converges_to_balanced_regions_and_leaders(int seed)
    {
        output.WriteLine(TestSeed.Replay(seed));
        var random = new Random(seed);
        var sim = new ClusterSimulation(seed, storeCount: random.Next(5, 9), regionCount: random.Next(60, 121));
        bool settled = sim.RunUntilQuiet(maxRounds: 3000);
        output.WriteLine(sim.Summary());
        Assert.True(settled, $"did not settle: {sim.Summary()}");
        AssertBalanced(sim, sim.Harness.Cluster.GetStores());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Repairs_replicas_of_a_failed_store_and_rebalances_the_rest(int seed)
    {
        output.WriteLine(TestSeed.Replay(seed));
        var random = new Random(seed);
        var options = new SchedulerOptions { MaxStoreDownTime = TimeSpan.FromMinutes(1) };
        var sim = new ClusterSimulation(seed, storeCount: random.Next(5, 8), regionCount: random.Next(40, 81), options);
        Assert.True(sim.RunUntilQuiet(maxRounds: 3000), $"did not settle before the failure: {sim.Summary()}");

        ulong failed = (ulong)random.Next(1, 4);
        output.WriteLine($"store {failed} fails after {sim.Rounds} rounds");
        sim.Fail(failed);
        bool settled = sim.RunUntilQuiet(maxRounds: 3000, minRounds: 120);
        output.WriteLine(sim.Summary());
        Assert.True(settled, $"did not settle after the failure: {sim.Summary()}");
        Assert.All(sim.Regions, r => Assert.False(r.HasPeerOnStore(failed), $"region {r.Id} still has a peer on failed store {failed}"));
        Assert.Equal(0, sim.Harness.Cluster.GetStore(failed)!.RegionCount);
        AssertBalanced(sim, sim.Harness.Cluster.GetStores().Where(s => s.Id != failed).ToList());
    }

    private static void AssertBalanced(ClusterSimulation sim, IReadOnlyList<StoreInfo> stores)
    {
        string summary = sim.Summary();
        Assert.All(sim.Regions, r => Assert.True(r.Peers.Length == 3 && r.Peers.Select(p => p.StoreId).Distinct().Count() == 3, $"region {r}: {summary}"));
        Assert.All(sim.Regions, r => Assert.Equal(r, sim.Harness.Cluster.GetRegion(r.Id)));
        double leaderMean = stores.Average(s => s.LeaderCount);
        double regionMean = stores.Average(s => s.RegionCount);
        Assert.True(stores.All(s => Math.Abs(s.LeaderCount - leaderMean) <= 1), $"leaders not within one of the mean {leaderMean:F2}: {summary}");
        Assert.True(stores.Max(s => s.RegionCount) - stores.Min(s => s.RegionCount) <= 2, $"regions spread beyond the balance rule's fixed point: {summary}");
        Assert.True(stores.All(s => Math.Abs(s.RegionCount - regionMean) < 2), $"regions not within two of the mean {regionMean:F2}: {summary}");
    }
}

using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Regions;

namespace TinyKv.Scheduler.Tests;

/// <summary>The by-store role indexes: learners, pending peers, removal, seeded picks.</summary>
public sealed class RegionsInfoTests
{
    private static readonly RegionInfo WithLearner =
        Build.Region(1, [], [], new RegionEpoch(4, 1), new Peer(1, 1), new Peer(2, 2), new Peer(3, 3, IsLearner: true))
        with { PendingPeers = [new Peer(3, 3, IsLearner: true)] };

    [Fact]
    public void Learners_have_their_own_role_and_count_as_regions()
    {
        var regions = new RegionsInfo();
        regions.SetRegion(WithLearner);
        Assert.Equal((1, 0, 1, 1), (regions.StoreLearnerCount(3), regions.StoreFollowerCount(3), regions.StoreRegionCount(3), regions.StorePendingPeerCount(3)));
        Assert.Same(WithLearner, regions.RandomLearnerRegion(3, new Random(1)));
        Assert.Same(WithLearner, regions.RandomPendingRegion(3, new Random(1)));
        Assert.Null(regions.RandomLearnerRegion(2, new Random(1)));
    }

    [Fact]
    public void Removing_a_region_clears_every_index()
    {
        var regions = new RegionsInfo();
        regions.SetRegion(WithLearner);
        Assert.True(regions.RemoveRegion(1));
        Assert.False(regions.RemoveRegion(1));
        Assert.Equal(0, regions.Count);
        Assert.Null(regions.FindRegion([]));
        for (ulong s = 1; s <= 3; s++)
        {
            Assert.Equal((0, 0L, 0), (regions.StoreRegionCount(s), regions.StoreRegionSize(s), regions.StorePendingPeerCount(s)));
        }
    }

    [Fact]
    public void Random_picks_replay_with_the_same_seed()
    {
        var regions = new RegionsInfo();
        for (ulong i = 1; i <= 50; i++)
        {
            regions.SetRegion(Build.Region(i, Build.NumKey(i * 10), Build.NumKey(i * 10 + 10), default, new Peer(i, 1)));
        }

        var a = new Random(7);
        var b = new Random(7);
        var picksA = Enumerable.Range(0, 20).Select(_ => regions.RandomLeaderRegion(1, a)!.Id).ToList();
        var picksB = Enumerable.Range(0, 20).Select(_ => regions.RandomLeaderRegion(1, b)!.Id).ToList();
        Assert.Equal(picksA, picksB);
        Assert.True(picksA.Distinct().Count() > 5);
    }
}

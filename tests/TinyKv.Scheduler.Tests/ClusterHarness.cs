using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;
using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Tests;

/// <summary>A bootstrapped <see cref="RaftCluster"/> on a fake clock, with store-level helpers.</summary>
internal sealed class ClusterHarness
{
    public ClusterHarness(SchedulerOptions? options = null, int storeCount = 3, int seed = 1, Coordinator? coordinator = null)
    {
        Cluster = new RaftCluster(options ?? new SchedulerOptions(), new IdAllocator(Storage), Clock, seed, coordinator);
        var first = new StoreInfo { Id = 1, Address = "s1" };
        Assert.Equal(SchedulerError.None, Cluster.Bootstrap(first, Build.Region(1, [], [], new RegionEpoch(1, 1), new Peer(1, 1))));
        for (ulong id = 2; id <= (ulong)storeCount; id++)
        {
            Assert.Equal(SchedulerError.None, Cluster.PutStore(new StoreInfo { Id = id, Address = $"s{id}" }));
        }
    }

    public FakeTimeProvider Clock { get; } = new();

    public MemoryHighWaterMarkStore Storage { get; } = new();

    public RaftCluster Cluster { get; }

    /// <summary>Store heartbeats from every store except <paramref name="silent"/>.</summary>
    public void StoreHeartbeats(params ulong[] silent)
    {
        foreach (var store in Cluster.GetStores())
        {
            if (!silent.Contains(store.Id) && !store.IsTombstone)
            {
                Assert.Equal(SchedulerError.None, Cluster.HandleStoreHeartbeat(new StoreStats(store.Id, 1UL << 40, 1UL << 39)));
            }
        }
    }

    /// <summary>Heartbeats <paramref name="region"/> and expects acceptance; returns the command.</summary>
    public RegionCommand? Heartbeat(RegionInfo region)
    {
        var response = Cluster.HandleRegionHeartbeat(region);
        Assert.True(response.Error == SchedulerError.None, $"heartbeat of {region}: {response.Error}");
        return response.Command;
    }

    /// <summary>Heartbeats and applies commands until the region's leader gets none; returns the final region.</summary>
    public RegionInfo DriveToCompletion(RegionInfo region, int maxRounds = 20)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            var command = Heartbeat(region);
            if (command is null)
            {
                return region;
            }

            region = LeaderSimulator.Apply(region, command);
        }

        Assert.Fail($"region {region.Id} still has commands after {maxRounds} rounds");
        return region;
    }
}

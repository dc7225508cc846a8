using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Ids;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;
using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Tests;

/// <summary>
/// A fixed cluster state for scheduler tests, with TinyKV's mock cluster conventions: a region
/// store with n regions has region size 10n MiB; leader regions are 10 MiB; a down store's last
/// heartbeat is zeroed.
/// </summary>
internal sealed class MockCluster
{
    private const ulong MiB = 1024 * 1024;

    public MockCluster(SchedulerOptions? options = null, int seed = 1)
    {
        State = new ClusterState(options ?? new SchedulerOptions(), new IdAllocator(new MemoryHighWaterMarkStore()), new Random(seed));
    }

    public ClusterState State { get; }

    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public int MaxReplicas
    {
        set => State.Options = State.Options with { MaxReplicas = value };
    }

    public void AddRegionStore(ulong id, int regionCount) => State.PutStore(new StoreInfo
    {
        Id = id,
        State = StoreState.Up,
        LastHeartbeat = Now,
        RegionCount = regionCount,
        RegionSize = regionCount * 10L,
        Capacity = 1000 * MiB,
        Available = (1000 - 10 * (ulong)regionCount) * MiB,
    });

    public void AddLeaderRegion(ulong regionId, ulong leaderStore, params ulong[] followerStores)
    {
        var peers = new[] { leaderStore }.Concat(followerStores).Select(s => State.AllocPeer(s)).ToArray();
        State.PutRegion(Build.Region(regionId, [], [], new RegionEpoch(1, 1), peers));
    }

    public void SetStoreDown(ulong id) => State.PutStore(State.GetStore(id)! with { LastHeartbeat = DateTimeOffset.MinValue });

    public void SetStoreOffline(ulong id) => State.PutStore(State.GetStore(id)! with { State = StoreState.Offline });

    public ScheduleContext Context() => ScheduleContext.Of(State, Now);

    /// <summary>
    /// TinyKV's CheckTransferPeer: [AddPeer dst, RemovePeer src] or, when src leads,
    /// [AddPeer dst, TransferLeader src→dst, RemovePeer src] with the leader kind.
    /// </summary>
    public static void CheckTransferPeer(Operator? op, ulong source, ulong target, bool withLeaderTransfer = false)
    {
        Assert.NotNull(op);
        Assert.True(op.Kind.HasFlag(OperatorKind.Region | OperatorKind.Balance), $"kind {op.Kind}");
        Assert.True(op.Steps[0] is AddPeer add && add.StoreId == target, $"first step of {op}");
        Assert.True(op.Steps[^1] is RemovePeer remove && remove.StoreId == source, $"last step of {op}");
        if (withLeaderTransfer)
        {
            Assert.Equal(3, op.Steps.Length);
            Assert.True(op.Steps[1] is TransferLeader t && t.FromStore == source && t.ToStore == target, $"middle step of {op}");
            Assert.True(op.Kind.HasFlag(OperatorKind.Leader));
        }
        else
        {
            Assert.Equal(2, op.Steps.Length);
        }
    }
}

using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Tests;

/// <summary>Operator life cycle: steps driven by heartbeats, timeouts, cancellation, one per region.</summary>
public sealed class OperatorTests
{
    private static readonly RegionInfo Region3 =
        Build.Region(1, [], [], new RegionEpoch(3, 1), new Peer(1, 1), new Peer(2, 2), new Peer(3, 3));

    private static (ClusterHarness Harness, RegionInfo Region) Setup(SchedulerOptions? options = null)
    {
        var h = new ClusterHarness(options, storeCount: 4);
        h.StoreHeartbeats();
        Assert.Null(h.Heartbeat(Region3));
        return (h, Region3);
    }

    private static Operator Move(ClusterHarness h, RegionInfo region, ulong from, ulong to, SchedulerOptions? options = null) =>
        OperatorFactory.MovePeer("test", region, OperatorKind.Admin, from, to, 100, options ?? new SchedulerOptions(), h.Clock.GetUtcNow());

    [Fact]
    public void Move_follower_steps_follow_heartbeats()
    {
        var (h, region) = Setup();
        var op = Move(h, region, 3, 4);
        Assert.True(h.Cluster.AddOperator(op));
        Assert.Equal(OperatorStatus.Created, op.Status);

        var add = new ChangePeerCommand(ConfChangeType.AddNode, new Peer(100, 4));
        Assert.Equal(add, h.Heartbeat(region));
        Assert.Equal(OperatorStatus.Started, op.Status);

        // The new peer shows up but is still pending: keep asking for the same step.
        region = LeaderSimulator.Apply(region, add);
        Assert.Equal(add, h.Heartbeat(region with { PendingPeers = [new Peer(100, 4)] }));
        Assert.Equal(0, op.CurrentStep);

        var remove = new ChangePeerCommand(ConfChangeType.RemoveNode, new Peer(3, 3));
        Assert.Equal(remove, h.Heartbeat(region));
        Assert.Equal(1, op.CurrentStep);

        region = LeaderSimulator.Apply(region, remove);
        Assert.Null(h.Heartbeat(region));
        Assert.Equal(OperatorStatus.Success, op.Status);
        Assert.Null(h.Cluster.GetOperator(1));
        Assert.Contains(op, h.Cluster.OperatorHistory());
        Assert.Equal([1ul, 2ul, 4ul], h.Cluster.GetRegion(1)!.Peers.Select(p => p.StoreId).Order());
    }

    [Fact]
    public void Move_leader_as_learner_promotes_then_transfers_leadership_then_removes()
    {
        var options = new SchedulerOptions { AddPeerAsLearner = true };
        var (h, region) = Setup(options);
        var op = Move(h, region, 1, 4, options);
        Assert.Equal(["AddLearner", "PromoteLearner", "TransferLeader", "RemovePeer"], op.Steps.Select(s => s.GetType().Name));
        Assert.True(op.Kind.HasFlag(OperatorKind.Leader | OperatorKind.Region));
        Assert.True(h.Cluster.AddOperator(op));

        var commands = new List<RegionCommand>();
        for (var command = h.Heartbeat(region); command is not null; command = h.Heartbeat(region))
        {
            commands.Add(command);
            region = LeaderSimulator.Apply(region, command);
        }

        Assert.Equal<RegionCommand>(
            [
                new ChangePeerCommand(ConfChangeType.AddLearnerNode, new Peer(100, 4, IsLearner: true)),
                new ChangePeerCommand(ConfChangeType.AddNode, new Peer(100, 4)),
                new TransferLeaderCommand(new Peer(100, 4)),
                new ChangePeerCommand(ConfChangeType.RemoveNode, new Peer(1, 1)),
            ],
            commands);
        Assert.Equal(OperatorStatus.Success, op.Status);
        Assert.Equal(4ul, region.Leader!.Value.StoreId);
    }

    [Fact]
    public void At_most_one_operator_per_region()
    {
        var (h, region) = Setup();
        Assert.True(h.Cluster.AddOperator(Move(h, region, 3, 4)));
        Assert.False(h.Cluster.AddOperator(Move(h, region, 2, 4)));
        Assert.False(h.Cluster.AddOperator(OperatorFactory.TransferLeader("t", region, OperatorKind.Admin, 2, new SchedulerOptions(), h.Clock.GetUtcNow())));
    }

    [Fact]
    public void Operator_for_an_older_epoch_is_refused()
    {
        var (h, region) = Setup();
        var newer = region with { Epoch = new RegionEpoch(3, 2) };
        h.Heartbeat(newer);
        Assert.False(h.Cluster.AddOperator(Move(h, region, 3, 4)));
        Assert.False(h.Cluster.AddOperator(Move(h, Build.Region(42, [], [], default, new Peer(9, 1)), 1, 4)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Operator_times_out(bool settledByHeartbeat)
    {
        var (h, region) = Setup();
        var op = Move(h, region, 3, 4);
        Assert.True(h.Cluster.AddOperator(op));
        Assert.NotNull(h.Heartbeat(region));

        h.Clock.Advance(new SchedulerOptions().RegionOperatorTimeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(h.Heartbeat(region));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        if (settledByHeartbeat)
        {
            Assert.Null(h.Heartbeat(region));
        }
        else
        {
            h.StoreHeartbeats();
            h.Cluster.Tick();
        }

        Assert.Equal(OperatorStatus.Timeout, op.Status);
        Assert.Contains(op, h.Cluster.OperatorHistory());
    }

    [Fact]
    public void Leader_operator_uses_the_short_timeout()
    {
        var (h, region) = Setup();
        var op = OperatorFactory.TransferLeader("t", region, OperatorKind.Admin, 2, new SchedulerOptions(), h.Clock.GetUtcNow());
        Assert.True(h.Cluster.AddOperator(op));
        Assert.Equal(new TransferLeaderCommand(new Peer(2, 2)), h.Heartbeat(region));
        h.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(h.Heartbeat(region));
        Assert.Equal(OperatorStatus.Timeout, op.Status);
    }

    [Fact]
    public void Split_cancels_the_operator()
    {
        var (h, region) = Setup();
        var op = Move(h, region, 3, 4);
        Assert.True(h.Cluster.AddOperator(op));
        Assert.NotNull(h.Heartbeat(region));
        Assert.Null(h.Heartbeat(region with { EndKey = Build.Key("m"), Epoch = new RegionEpoch(3, 2) }));
        Assert.Equal(OperatorStatus.Canceled, op.Status);
    }

    [Fact]
    public void Conflicting_peer_on_target_cancels_the_operator()
    {
        var (h, region) = Setup();
        var op = Move(h, region, 3, 4);
        Assert.True(h.Cluster.AddOperator(op));
        Assert.Null(h.Heartbeat(region with { Peers = region.Peers.Add(new Peer(77, 4)), Epoch = new RegionEpoch(4, 1) }));
        Assert.Equal(OperatorStatus.Canceled, op.Status);
    }

    [Fact]
    public void Region_dropped_by_an_overlap_loses_its_operator()
    {
        var (h, region) = Setup();
        Assert.True(h.Cluster.AddOperator(Move(h, region, 3, 4)));
        h.Heartbeat(Build.Region(2, [], [], new RegionEpoch(1, 2), new Peer(50, 1)));
        Assert.Null(h.Cluster.GetOperator(1));
        Assert.Equal(OperatorStatus.Canceled, h.Cluster.OperatorHistory()[^1].Status);
    }

    [Fact]
    public void Already_finished_steps_are_skipped()
    {
        var (h, region) = Setup();
        var op = OperatorFactory.TransferLeader("t", region, OperatorKind.Admin, 1, new SchedulerOptions(), h.Clock.GetUtcNow());
        Assert.True(h.Cluster.AddOperator(op));
        Assert.Null(h.Heartbeat(region));
        Assert.Equal(OperatorStatus.Success, op.Status);
    }

    [Fact]
    public void Remove_step_is_abandoned_when_its_peer_leads_again()
    {
        var (h, region) = Setup();
        var op = Move(h, region, 1, 4);
        Assert.True(h.Cluster.AddOperator(op));
        region = LeaderSimulator.Apply(region, h.Heartbeat(region)!);
        region = LeaderSimulator.Apply(region, h.Heartbeat(region)!);
        Assert.Equal(4ul, region.Leader!.Value.StoreId);
        Assert.Equal(new ChangePeerCommand(ConfChangeType.RemoveNode, new Peer(1, 1)), h.Heartbeat(region));

        // An election hands leadership back to store 1 before the remove is applied.
        Assert.Null(h.Heartbeat(region with { Leader = region.GetStorePeer(1) }));
        Assert.Equal(OperatorStatus.Canceled, op.Status);
    }
}

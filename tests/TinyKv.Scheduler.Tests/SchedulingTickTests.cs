using TinyKv.Scheduler.Operators;
using TinyKv.Scheduler.Schedulers;

namespace TinyKv.Scheduler.Tests;

/// <summary>Per-scheduler pacing on the tick, limits, and options validation.</summary>
public sealed class SchedulingTickTests
{
    private sealed class IdleScheduler : IScheduler
    {
        public string Name => "fixed";

        public OperatorKind Kind => OperatorKind.Region;

        public TimeSpan MinInterval => TimeSpan.FromMilliseconds(10);

        public Operator? Schedule(ScheduleContext context) => null;
    }

    [Fact]
    public void Idle_runs_back_off_exponentially_up_to_the_maximum_and_work_resets_it()
    {
        var now = DateTimeOffset.UnixEpoch;
        var controller = new ScheduleController(new IdleScheduler(), TimeSpan.FromSeconds(1));
        Assert.True(controller.IsDue(now));
        var intervals = new List<TimeSpan>();
        for (int i = 0; i < 30; i++)
        {
            controller.RecordRun(now, produced: false);
            intervals.Add(controller.Interval);
            Assert.False(controller.IsDue(now + controller.Interval - TimeSpan.FromTicks(1)));
            Assert.True(controller.IsDue(now + controller.Interval));
        }

        Assert.True(intervals.Zip(intervals.Skip(1)).All(p => p.Second >= p.First));
        Assert.True(intervals[1] > intervals[0] * 1.2);
        Assert.Equal(TimeSpan.FromSeconds(1), intervals[^1]);

        controller.RecordRun(now, produced: true);
        Assert.Equal(TimeSpan.FromMilliseconds(10), controller.Interval);
    }

    [Fact]
    public void Idle_cluster_backs_off_its_schedulers_and_work_brings_them_back()
    {
        var coordinator = Coordinator.WithDefaultSchedulers();
        var h = new ClusterHarness(storeCount: 4, coordinator: coordinator);
        h.StoreHeartbeats();
        var region = Build.Region(1, [], [], new Meta.RegionEpoch(3, 1), new Meta.Peer(1, 1), new Meta.Peer(2, 2), new Meta.Peer(3, 3));
        h.Heartbeat(region);
        for (int i = 0; i < 20; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            h.StoreHeartbeats();
            Assert.Empty(h.Cluster.Tick());
        }

        // One region on 3 of 4 stores: nothing to balance, so both schedulers back off.
        Assert.All(coordinator.Controllers, c => Assert.True(c.Interval > c.Scheduler.MinInterval * 10, $"{c.Scheduler.Name}: {c.Interval}"));

        // Leaders piled on store 1 give balance-leader work: its interval drops back to the minimum.
        for (ulong id = 2; id <= 4; id++)
        {
            h.Heartbeat(Build.Region(id, [(byte)id], [(byte)(id + 1)], new Meta.RegionEpoch(3, 2), new Meta.Peer(id * 10, 1), new Meta.Peer(id * 10 + 1, 2), new Meta.Peer(id * 10 + 2, 3)));
        }

        h.Clock.Advance(TimeSpan.FromSeconds(10));
        h.StoreHeartbeats();
        Assert.Contains(h.Cluster.Tick(), op => op.Kind.HasFlag(OperatorKind.Leader));
        var leader = coordinator.Controllers.Single(c => c.Scheduler is BalanceLeaderScheduler);
        Assert.Equal(leader.Scheduler.MinInterval, leader.Interval);
    }

    [Theory]
    [InlineData("MaxReplicas")]
    [InlineData("MaxStoreDownTime")]
    [InlineData("RegionScheduleLimit")]
    [InlineData("LeaderOperatorTimeout")]
    [InlineData("PatrolRegionsPerTick")]
    public void Invalid_options_are_refused_with_their_name_and_the_old_ones_stay(string name)
    {
        var options = new SchedulerOptions();
        var bad = name switch
        {
            "MaxReplicas" => options with { MaxReplicas = 0 },
            "MaxStoreDownTime" => options with { MaxStoreDownTime = TimeSpan.Zero },
            "RegionScheduleLimit" => options with { RegionScheduleLimit = -1 },
            "LeaderOperatorTimeout" => options with { LeaderOperatorTimeout = TimeSpan.Zero },
            _ => options with { PatrolRegionsPerTick = 0 },
        };
        var h = new ClusterHarness();
        var error = Assert.Throws<ArgumentException>(() => h.Cluster.SetOptions(bad));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Cluster.Read(s => s.Options.MaxReplicas));
    }
}

using TinyKv.Scheduler.Cluster;
using TinyKv.Scheduler.Meta;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// Runs the checkers and schedulers on each tick and hands their operators to the operator
/// controller (PD's coordinator). Deterministic for a given cluster state, time and seed.
/// </summary>
/// <remarks>
/// Each tick: expire timed-out operators; patrol the next <see cref="SchedulerOptions.PatrolRegionsPerTick"/>
/// regions in key order (wrapping around) through the replica checker, within ReplicaScheduleLimit;
/// then run every scheduler that is due and whose kind is under its limit. Schedulers see the stores
/// with the running operators' influence applied.
/// </remarks>
public sealed class Coordinator
{
    private readonly List<ScheduleController> _controllers;
    private readonly ReplicaChecker _replicaChecker = new();
    private readonly List<RegionInfo> _patrol = [];
    private byte[] _patrolCursor = [];

    public Coordinator(IEnumerable<IScheduler> schedulers) =>
        _controllers = schedulers.Select(s => new ScheduleController(s)).ToList();

    /// <summary>The default set: balance-region and balance-leader.</summary>
    public static Coordinator WithDefaultSchedulers() =>
        new([new BalanceRegionScheduler(), new BalanceLeaderScheduler()]);

    public IReadOnlyList<ScheduleController> Controllers => _controllers;

    /// <summary>Runs one tick; returns the operators accepted in it, in order.</summary>
    public IReadOnlyList<Operator> Tick(ClusterState cluster, OperatorController operators, DateTimeOffset now)
    {
        operators.ExpireTimedOut(now);
        var added = new List<Operator>();
        PatrolRegions(cluster, operators, now, added);
        foreach (var controller in _controllers)
        {
            if (!controller.IsDue(now))
            {
                continue;
            }

            if (!controller.IsAllowed(operators, cluster.Options))
            {
                controller.Defer(now);
                continue;
            }

            var op = controller.Scheduler.Schedule(Context(cluster, operators, now));
            bool accepted = op is not null && TryAdd(cluster, operators, op, added);
            controller.RecordRun(now, accepted);
        }

        return added;
    }

    private void PatrolRegions(ClusterState cluster, OperatorController operators, DateTimeOffset now, List<Operator> added)
    {
        _patrol.Clear();
        cluster.Regions.Tree.Scan(_patrolCursor, cluster.Options.PatrolRegionsPerTick, _patrol);
        _patrolCursor = _patrol.Count < cluster.Options.PatrolRegionsPerTick || _patrol[^1].EndKey.Length == 0 ? [] : _patrol[^1].EndKey;
        ScheduleContext? context = null;
        foreach (var region in _patrol)
        {
            if (operators.Count(OperatorKind.Replica) >= cluster.Options.ReplicaScheduleLimit)
            {
                return;
            }

            if (operators.GetOperator(region.Id) is not null)
            {
                continue;
            }

            context ??= Context(cluster, operators, now);
            if (_replicaChecker.Check(region, context) is { } op && TryAdd(cluster, operators, op, added))
            {
                context = null;
            }
        }
    }

    private static bool TryAdd(ClusterState cluster, OperatorController operators, Operator op, List<Operator> added)
    {
        if (cluster.GetRegion(op.RegionId) is not { } region || !operators.TryAdd(op, region))
        {
            return false;
        }

        added.Add(op);
        return true;
    }

    private static ScheduleContext Context(ClusterState cluster, OperatorController operators, DateTimeOffset now)
    {
        var running = operators.Running
            .Select(op => (op, cluster.GetRegion(op.RegionId)))
            .Where(p => p.Item2 is not null)
            .Select(p => (p.op, p.Item2!));
        return new ScheduleContext(cluster, OperatorInfluence.Apply(cluster.GetStores(), running), now);
    }
}

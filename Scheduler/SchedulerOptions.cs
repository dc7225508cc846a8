namespace TinyKv.Scheduler;

/// <summary>
/// Scheduling configuration (PD's ScheduleConfig / TinyKV's scheduler options). Defaults are
/// TinyKV's where it has them.
/// </summary>
public sealed record SchedulerOptions
{
    /// <summary>Replicas each region should have. Default 3.</summary>
    public int MaxReplicas { get; init; } = 3;

    /// <summary>A store silent for longer than this is down: no new peers, its peers are replaced. Default 30 min.</summary>
    public TimeSpan MaxStoreDownTime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Running leader operators allowed at once. Default 4.</summary>
    public int LeaderScheduleLimit { get; init; } = 4;

    /// <summary>Running region (peer-moving) operators allowed at once. Default 64.</summary>
    public int RegionScheduleLimit { get; init; } = 64;

    /// <summary>Running replica-repair operators allowed at once. Default 64.</summary>
    public int ReplicaScheduleLimit { get; init; } = 64;

    /// <summary>
    /// Add peers as learners first and promote them once caught up (two steps), instead of adding
    /// a voter directly (TinyKV's single step). Default false.
    /// </summary>
    public bool AddPeerAsLearner { get; init; }

    /// <summary>How long a leader-only operator may run before it is abandoned. Default 10 s.</summary>
    public TimeSpan LeaderOperatorTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an operator that moves peers may run before it is abandoned. Default 10 min.</summary>
    public TimeSpan RegionOperatorTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Regions the replica checker inspects per tick (PD's patrol). Default 128.</summary>
    public int PatrolRegionsPerTick { get; init; } = 128;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public SchedulerOptions Validate()
    {
        Check(MaxReplicas >= 1, nameof(MaxReplicas), "must be at least 1");
        Check(MaxStoreDownTime > TimeSpan.Zero, nameof(MaxStoreDownTime), "must be positive");
        Check(LeaderScheduleLimit >= 0, nameof(LeaderScheduleLimit), "must not be negative");
        Check(RegionScheduleLimit >= 0, nameof(RegionScheduleLimit), "must not be negative");
        Check(ReplicaScheduleLimit >= 0, nameof(ReplicaScheduleLimit), "must not be negative");
        Check(LeaderOperatorTimeout > TimeSpan.Zero, nameof(LeaderOperatorTimeout), "must be positive");
        Check(RegionOperatorTimeout > TimeSpan.Zero, nameof(RegionOperatorTimeout), "must be positive");
        Check(PatrolRegionsPerTick >= 1, nameof(PatrolRegionsPerTick), "must be at least 1");
        return this;
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"SchedulerOptions.{name} {rule}", name);
        }
    }
}

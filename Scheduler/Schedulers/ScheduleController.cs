using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// Runs one scheduler on the coordinator's tick at its own pace (PD's scheduleController): after
/// a run that produced an operator the next run is <see cref="IScheduler.MinInterval"/> away;
/// after an idle run the interval grows by <see cref="BackoffFactor"/> up to <see cref="MaxInterval"/>
/// (PD's exponential growth of the schedule interval), so a balanced cluster costs little.
/// </summary>
public sealed class ScheduleController
{
    /// <summary>Growth of the interval after an idle run (PD's value).</summary>
    public const double BackoffFactor = 1.3;

    public ScheduleController(IScheduler scheduler, TimeSpan? maxInterval = null)
    {
        Scheduler = scheduler;
        MaxInterval = maxInterval ?? TimeSpan.FromSeconds(5);
        Interval = scheduler.MinInterval;
    }

    public IScheduler Scheduler { get; }

    public TimeSpan MaxInterval { get; }

    /// <summary>The current pause between runs.</summary>
    public TimeSpan Interval { get; private set; }

    public DateTimeOffset NextRun { get; private set; } = DateTimeOffset.MinValue;

    public bool IsDue(DateTimeOffset now) => now >= NextRun;

    /// <summary>Records a run at <paramref name="now"/> and whether it produced an accepted operator.</summary>
    public void RecordRun(DateTimeOffset now, bool produced)
    {
        Interval = produced
            ? Scheduler.MinInterval
            : TimeSpan.FromTicks(Math.Min(MaxInterval.Ticks, (long)(Interval.Ticks * BackoffFactor) + 1));
        NextRun = now + Interval;
    }

    /// <summary>Defers the next run by the current interval without backing off (a limit was reached).</summary>
    public void Defer(DateTimeOffset now) => NextRun = now + Interval;

    /// <summary>Whether the limit for this scheduler's kind leaves room for one more operator.</summary>
    public bool IsAllowed(OperatorController operators, SchedulerOptions options) => Scheduler.Kind switch
    {
        OperatorKind.Leader => operators.Count(OperatorKind.Leader) < options.LeaderScheduleLimit,
        _ => operators.Count(OperatorKind.Region) < options.RegionScheduleLimit,
    };
}

using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Schedulers;

/// <summary>
/// A balance policy run on a tick (PD's Scheduler). Pure: reads the context, returns at most
/// one operator, changes nothing itself (it may allocate ids for new peers).
/// </summary>
public interface IScheduler
{
    string Name { get; }

    /// <summary>The kind its operators carry; the coordinator checks the matching limit before running it.</summary>
    OperatorKind Kind { get; }

    /// <summary>Shortest time between two runs; also the interval right after a run that found work.</summary>
    TimeSpan MinInterval { get; }

    Operator? Schedule(ScheduleContext context);
}

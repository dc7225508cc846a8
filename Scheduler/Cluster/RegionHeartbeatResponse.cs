using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Cluster;

/// <summary>
/// The answer to a region heartbeat: an error for a rejected report, otherwise the next command
/// of the region's operator for its leader (or none).
/// </summary>
public readonly record struct RegionHeartbeatResponse(SchedulerError Error, RegionCommand? Command)
{
    public static RegionHeartbeatResponse Rejected(SchedulerError error) => new(error, null);
}

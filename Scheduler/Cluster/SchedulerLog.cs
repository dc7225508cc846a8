using Microsoft.Extensions.Logging;
using TinyKv.Scheduler.Operators;

namespace TinyKv.Scheduler.Cluster;

/// <summary>Log messages of the scheduler core; event ids 8000–8099.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "cluster bootstrapped with store {StoreId} and region {RegionId}")]
    public static partial void Bootstrapped(ILogger logger, ulong storeId, ulong regionId);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "region heartbeat of region {RegionId} rejected: {Error}")]
    public static partial void HeartbeatRejected(ILogger logger, ulong regionId, SchedulerError error);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "operator added: {Operator}")]
    public static partial void OperatorAdded(ILogger logger, Operator @operator);
}

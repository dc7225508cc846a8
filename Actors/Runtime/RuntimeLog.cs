using Microsoft.Extensions.Logging;

namespace TinyKv.Actors.Runtime;

/// <summary>Runtime log events. Event ids: 1000-1099 runtime, 1100-1199 membership, 1200-1299 hosting.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(this ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed")]
    public static partial void DeactivationFailed(this ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Timer callback of {GrainId} failed")]
    public static partial void TimerFailed(this ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "One-way call {Method} on {GrainId} failed")]
    public static partial void OneWayFailed(this ILogger logger, string method, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Malformed envelope from {Sender} dropped: {Reason}")]
    public static partial void MalformedEnvelope(this ILogger logger, string sender, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Envelope for {Target} reached {Local}; rejected")]
    public static partial void WrongTarget(this ILogger logger, string target, SiloAddress local);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Routing a call to {GrainId} failed")]
    public static partial void RoutingFailed(this ILogger logger, GrainId grainId, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Silo {Silo} is {Status} in the membership table")]
    public static partial void StatusWritten(this ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Silo {Voter} votes {Target} suspect ({Votes}/{Required} fresh votes){Verdict}")]
    public static partial void Suspected(this ILogger logger, SiloAddress voter, SiloAddress target, int votes, int required, string verdict);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Silo {Silo} learned it was declared dead; stopping at once")]
    public static partial void DeclaredDead(this ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Membership operation failed")]
    public static partial void MembershipFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Declared the previous incarnation {Silo} of this endpoint dead")]
    public static partial void PreviousIncarnationDeclaredDead(this ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Silo {Silo} started")]
    public static partial void SiloStarted(this ILogger logger, SiloAddress silo);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Silo {Silo} stopped ({How})")]
    public static partial void SiloStopped(this ILogger logger, SiloAddress silo, string how);
}

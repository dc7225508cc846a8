using Microsoft.Extensions.Logging;
using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft;

/// <summary>The raft core's log events. Event ids 1000-1099 belong to TinyKv.Raft.</summary>
internal static partial class RaftEvents
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "{Id} became follower at term {Term}")]
    public static partial void BecameFollower(ILogger logger, ulong id, ulong term);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Id} became candidate at term {Term}")]
    public static partial void BecameCandidate(ILogger logger, ulong id, ulong term);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Id} became pre-candidate at term {Term}")]
    public static partial void BecamePreCandidate(ILogger logger, ulong id, ulong term);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Id} became leader at term {Term}")]
    public static partial void BecameLeader(ILogger logger, ulong id, ulong term);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{Id} is starting a new election at term {Term}")]
    public static partial void StartingElection(ILogger logger, ulong id, ulong term);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Id} [logterm: {LogTerm}, index: {Index}] sent {Type} request to {To} at term {Term}")]
    public static partial void SentVoteRequest(ILogger logger, ulong id, ulong logTerm, ulong index, MessageType type, ulong to, ulong term);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "{Id} received {Type}{Outcome} from {From} at term {Term}")]
    public static partial void ReceivedVote(ILogger logger, ulong id, MessageType type, string outcome, ulong from, ulong term);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "{Id} has received {Granted} {Type} votes and {Rejected} vote rejections")]
    public static partial void VoteTally(ILogger logger, ulong id, int granted, MessageType type, int rejected);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "{Id} [logterm: {LogTerm}, index: {Index}, vote: {Vote}] {Outcome} {Type} from {From} [logterm: {MLogTerm}, index: {MIndex}] at term {Term}")]
    public static partial void CastVote(ILogger logger, ulong id, ulong logTerm, ulong index, ulong vote, string outcome, MessageType type, ulong from, ulong mLogTerm, ulong mIndex, ulong term);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "{Id} [term: {Term}] received a {Type} message with higher term from {From} [term: {MTerm}]")]
    public static partial void HigherTerm(ILogger logger, ulong id, ulong term, MessageType type, ulong from, ulong mTerm);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "{Id} switched to configuration voters=({Voters}) learners=({Learners})")]
    public static partial void ConfigurationChanged(ILogger logger, ulong id, string voters, string learners);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "{Id} [commit: {Commit}] restored snapshot [index: {Index}, term: {Term}]")]
    public static partial void RestoredSnapshot(ILogger logger, ulong id, ulong commit, ulong index, ulong term);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "{Id} [term {Term}] starts to transfer leadership to {Transferee}")]
    public static partial void TransferringLeadership(ILogger logger, ulong id, ulong term, ulong transferee);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "{Id} [term {Term}] abort previous leadership transfer to {Transferee}")]
    public static partial void AbortedTransfer(ILogger logger, ulong id, ulong term, ulong transferee);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "{Id} stepped down to follower since quorum is not active")]
    public static partial void QuorumNotActive(ILogger logger, ulong id);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "{Id} cannot campaign at term {Term}: {Reason}")]
    public static partial void CannotCampaign(ILogger logger, ulong id, ulong term, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "{Id} [term: {Term}] ignored a {Type} message with lower term from {From} [term: {MTerm}]")]
    public static partial void LowerTerm(ILogger logger, ulong id, ulong term, MessageType type, ulong from, ulong mTerm);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "{Id} [logterm: {LogTerm}, index: {Index}, vote: {Vote}] ignored {Type} from {From} [logterm: {MLogTerm}, index: {MIndex}] at term {Term}: lease is not expired (remaining ticks: {Remaining})")]
    public static partial void InLease(ILogger logger, ulong id, ulong logTerm, ulong index, ulong vote, MessageType type, ulong from, ulong mLogTerm, ulong mIndex, ulong term, int remaining);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Information, Message = "{Id} [commit: {Commit}] ignored snapshot [index: {Index}, term: {Term}]")]
    public static partial void IgnoredSnapshot(ILogger logger, ulong id, ulong commit, ulong index, ulong term);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Debug, Message = "{Id} dropped {Type} at term {Term}: {Reason}")]
    public static partial void Dropped(ILogger logger, ulong id, MessageType type, ulong term, string reason);
}

using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Quorum;

namespace TinyKv.Raft;

/// <summary>Starting elections (Raft §5.2) and pre-elections (thesis §9.6), and counting votes.</summary>
internal sealed partial class RaftCore
{
    /// <summary>Starts an election (or pre-election) unless leader, not promotable, or conf changes await application.</summary>
    private void Hup(CampaignType type)
    {
        if (State == StateType.Leader)
        {
            return;
        }

        if (!Promotable())
        {
            RaftEvents.CannotCampaign(_logger, Id, Term, "not promotable");
            return;
        }

        // A committed but unapplied conf change could change who may vote: apply it first.
        if (RaftLog.Committed > RaftLog.Applied)
        {
            // Entries covered by a snapshot arrive applied with it.
            ulong from = Math.Max(RaftLog.Applied + 1, RaftLog.FirstIndex());
            var unapplied = new List<Entry>();
            var err = RaftLog.Slice(from, RaftLog.Committed + 1, ulong.MaxValue, unapplied);
            if (err != Storage.StorageError.None)
            {
                throw new RaftInvariantException("unapplied-entries-readable", $"entries [{from},{RaftLog.Committed}]: {err}");
            }

            if (unapplied.Any(e => e.EntryType == EntryType.EntryConfChange))
            {
                RaftEvents.CannotCampaign(_logger, Id, Term, "pending configuration changes to apply");
                return;
            }
        }

        RaftEvents.StartingElection(_logger, Id, Term);
        Campaign(type);
    }

    internal void Campaign(CampaignType type)
    {
        ulong term;
        MessageType voteMsg;
        if (type == CampaignType.PreElection)
        {
            BecomePreCandidate();
            voteMsg = MessageType.MsgRequestPreVote;
            // Pre-vote requests carry the term we would campaign at, without adopting it.
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            voteMsg = MessageType.MsgRequestVote;
            term = Term;
        }

        if (Poll(Id, VoteResponseType(voteMsg), true) == VoteResult.Won)
        {
            // A single-voter cluster wins at once.
            if (type == CampaignType.PreElection)
            {
                Campaign(CampaignType.Election);
            }
            else
            {
                BecomeLeader();
            }

            return;
        }

        foreach (ulong id in Tracker.Voters.Ids)
        {
            if (id == Id)
            {
                continue;
            }

            RaftEvents.SentVoteRequest(_logger, Id, RaftLog.LastTerm(), RaftLog.LastIndex(), voteMsg, id, Term);
            Send(new Message
            {
                Term = term,
                To = id,
                MsgType = voteMsg,
                Index = RaftLog.LastIndex(),
                LogTerm = RaftLog.LastTerm(),
                Context = type == CampaignType.Transfer ? CampaignTransfer : ByteString.Empty,
            });
        }
    }

    private VoteResult Poll(ulong id, MessageType type, bool granted)
    {
        RaftEvents.ReceivedVote(_logger, Id, type, granted ? "" : " rejection", id, Term);
        Tracker.RecordVote(id, granted);
        var (g, r, result) = Tracker.TallyVotes();
        if (id != Id)
        {
            RaftEvents.VoteTally(_logger, Id, g, type, r);
        }

        return result;
    }

    internal static MessageType VoteResponseType(MessageType type) => type switch
    {
        MessageType.MsgRequestVote => MessageType.MsgRequestVoteResponse,
        MessageType.MsgRequestPreVote => MessageType.MsgRequestPreVoteResponse,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a vote message"),
    };
}

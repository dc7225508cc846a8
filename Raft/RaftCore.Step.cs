using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft;

/// <summary>The role-independent rules of <see cref="Step"/>: terms (Raft §5.1) and voting (§5.2, §5.4.1).</summary>
internal sealed partial class RaftCore
{
    /// <summary>Processes one message: local (term 0) or from a peer.</summary>
    public StepResult Step(Message m)
    {
        if (m.Term == 0)
        {
            // Local message.
        }
        else if (m.Term > Term)
        {
            if (m.MsgType is MessageType.MsgRequestVote or MessageType.MsgRequestPreVote)
            {
                bool force = m.Context.Equals(CampaignTransfer);
                bool inLease = CheckQuorum && Lead != None && ElectionElapsed < ElectionTimeout;
                if (!force && inLease)
                {
                    // Within the lease we heard from a leader: do not let a partitioned node
                    // disrupt the cluster (Raft thesis §4.2.3).
                    RaftEvents.InLease(_logger, Id, RaftLog.LastTerm(), RaftLog.LastIndex(), Vote, m.MsgType, m.From, m.LogTerm, m.Index, Term, ElectionTimeout - ElectionElapsed);
                    return StepResult.Ok;
                }
            }

            if (m.MsgType == MessageType.MsgRequestPreVote)
            {
                // A pre-vote never changes our term.
            }
            else if (m.MsgType == MessageType.MsgRequestPreVoteResponse && !m.Reject)
            {
                // A granted pre-vote carries the future term we asked for; we adopt it only when we win.
            }
            else
            {
                RaftEvents.HigherTerm(_logger, Id, Term, m.MsgType, m.From, m.Term);
                bool fromLeader = m.MsgType is MessageType.MsgAppend or MessageType.MsgHeartbeat or MessageType.MsgSnapshot;
                BecomeFollower(m.Term, fromLeader ? m.From : None);
            }
        }
        else if (m.Term < Term)
        {
            if (m.MsgType is MessageType.MsgHeartbeat or MessageType.MsgAppend)
            {
                // A stale leader: tell it the newer term so it steps down (it may be cut off
                // from the cluster and unable to learn it otherwise).
                Send(new Message { To = m.From, MsgType = MessageType.MsgAppendResponse });
            }
            else if (m.MsgType == MessageType.MsgRequestPreVote)
            {
                // Reject with our term so the pre-candidate learns it is behind.
                Send(new Message { To = m.From, Term = Term, MsgType = MessageType.MsgRequestPreVoteResponse, Reject = true });
            }
            else
            {
                RaftEvents.LowerTerm(_logger, Id, Term, m.MsgType, m.From, m.Term);
            }

            return StepResult.Ok;
        }

        switch (m.MsgType)
        {
            case MessageType.MsgHup:
                Hup(PreVote ? CampaignType.PreElection : CampaignType.Election);
                return StepResult.Ok;

            case MessageType.MsgRequestVote:
            case MessageType.MsgRequestPreVote:
                HandleVoteRequest(m);
                return StepResult.Ok;

            default:
                return _step(m);
        }
    }

    private void HandleVoteRequest(Message m)
    {
        // One vote per term, first come first served (§5.2); repeat grants are idempotent. A
        // pre-vote for a future term may be granted even though we voted in this one.
        bool canVote = Vote == m.From
            || (Vote == None && Lead == None)
            || (m.MsgType == MessageType.MsgRequestPreVote && m.Term > Term);
        var responseType = VoteResponseType(m.MsgType);
        if (canVote && RaftLog.IsUpToDate(m.Index, m.LogTerm))
        {
            RaftEvents.CastVote(_logger, Id, RaftLog.LastTerm(), RaftLog.LastIndex(), Vote, "cast", m.MsgType, m.From, m.LogTerm, m.Index, Term);
            // The response carries the request's term: for a pre-vote that is the future term,
            // which the pre-candidate recognizes as its own round.
            Send(new Message { To = m.From, Term = m.Term, MsgType = responseType });
            if (m.MsgType == MessageType.MsgRequestVote)
            {
                ElectionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            RaftEvents.CastVote(_logger, Id, RaftLog.LastTerm(), RaftLog.LastIndex(), Vote, "rejected", m.MsgType, m.From, m.LogTerm, m.Index, Term);
            Send(new Message { To = m.From, Term = Term, MsgType = responseType, Reject = true });
        }
    }
}

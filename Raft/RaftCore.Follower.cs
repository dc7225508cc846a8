using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.ReadOnly;
using TinyKv.Raft.Storage;

namespace TinyKv.Raft;

/// <summary>The follower role and the follower side of replication (Raft §5.3) and snapshots (§7).</summary>
internal sealed partial class RaftCore
{
    private StepResult StepFollower(Message m)
    {
        switch (m.MsgType)
        {
            case MessageType.MsgPropose:
                if (Lead == None)
                {
                    RaftEvents.Dropped(_logger, Id, m.MsgType, Term, "no leader");
                    return StepResult.ProposalDropped;
                }

                m.To = Lead;
                Send(m);
                break;

            case MessageType.MsgAppend:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleAppendEntries(m);
                break;

            case MessageType.MsgHeartbeat:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleHeartbeat(m);
                break;

            case MessageType.MsgSnapshot:
                ElectionElapsed = 0;
                Lead = m.From;
                HandleSnapshot(m);
                break;

            case MessageType.MsgTransferLeader:
                ForwardToLeader(m);
                break;

            case MessageType.MsgTimeoutNow:
                // Leadership transfer: campaign at once, skipping pre-vote (the leader asked us to).
                Hup(CampaignType.Transfer);
                break;

            case MessageType.MsgReadIndex:
                ForwardToLeader(m);
                break;

            case MessageType.MsgReadIndexResp:
                if (m.Entries.Count != 1)
                {
                    RaftEvents.Dropped(_logger, Id, m.MsgType, Term, $"invalid format: {m.Entries.Count} entries");
                    return StepResult.Ok;
                }

                ReadStates.Add(new ReadState(m.Index, m.Entries[0].Data));
                break;
        }

        return StepResult.Ok;
    }

    /// <summary>AppendEntries receiver (Raft §5.3 rules 1–5; fast backtracking hint on rejection).</summary>
    internal void HandleAppendEntries(Message m)
    {
        if (m.Index < RaftLog.Committed)
        {
            // Already committed here: tell the leader where we are.
            Send(new Message { To = m.From, MsgType = MessageType.MsgAppendResponse, Index = RaftLog.Committed });
            return;
        }

        if (RaftLog.MaybeAppend(m.Index, m.LogTerm, m.Commit, m.Entries, out ulong lastNew))
        {
            Send(new Message { To = m.From, MsgType = MessageType.MsgAppendResponse, Index = lastNew });
            return;
        }

        // Reject with a hint: the largest index <= m.Index whose term is <= m.LogTerm, so the
        // leader can skip every entry of a conflicting term in one round trip.
        ulong hintIndex = Math.Min(m.Index, RaftLog.LastIndex());
        hintIndex = RaftLog.FindConflictByTerm(hintIndex, m.LogTerm);
        var err = RaftLog.TryTerm(hintIndex, out ulong hintTerm);
        if (err != StorageError.None)
        {
            throw new RaftInvariantException("hint-term-readable", $"term({hintIndex}): {err}");
        }

        Send(new Message
        {
            To = m.From,
            MsgType = MessageType.MsgAppendResponse,
            Index = m.Index,
            Reject = true,
            RejectHint = hintIndex,
            LogTerm = hintTerm,
        });
    }

    /// <summary>A heartbeat carries the commit index, capped by the leader at what we have matched.</summary>
    internal void HandleHeartbeat(Message m)
    {
        RaftLog.CommitTo(m.Commit);
        Send(new Message { To = m.From, MsgType = MessageType.MsgHeartbeatResponse, Context = m.Context });
    }

    /// <summary>InstallSnapshot receiver (Raft §7): restore, then acknowledge up to our last index.</summary>
    internal void HandleSnapshot(Message m)
    {
        var md = m.Snapshot.Metadata;
        if (Restore(m.Snapshot))
        {
            RaftEvents.RestoredSnapshot(_logger, Id, RaftLog.Committed, md.Index, md.Term);
            Send(new Message { To = m.From, MsgType = MessageType.MsgAppendResponse, Index = RaftLog.LastIndex() });
        }
        else
        {
            RaftEvents.IgnoredSnapshot(_logger, Id, RaftLog.Committed, md.Index, md.Term);
            Send(new Message { To = m.From, MsgType = MessageType.MsgAppendResponse, Index = RaftLog.Committed });
        }
    }

    /// <summary>Passes a request only the leader can serve (transfer, read index) on to it; dropped while there is no leader.</summary>
    private void ForwardToLeader(Message m)
    {
        if (Lead == None)
        {
            RaftEvents.Dropped(_logger, Id, m.MsgType, Term, "no leader");
            return;
        }

        m.To = Lead;
        Send(m);
    }
}

using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Tracker;

namespace TinyKv.Raft;

/// <summary>Restoring from a snapshot (Raft §7), configuration included.</summary>
internal sealed partial class RaftCore
{
    /// <summary>
    /// Replaces the log with the snapshot unless it is stale or already covered by our log.
    /// Returns whether the snapshot was restored (it is then pending in the next Ready).
    /// </summary>
    internal bool Restore(Snapshot s)
    {
        var md = s.Metadata;
        if (md.Index <= RaftLog.Committed)
        {
            return false;
        }

        if (State != StateType.Follower)
        {
            // Only a follower of the sender may restore; this is a defensive step-down that makes
            // the next message from the leader land on a follower.
            BecomeFollower(Term + 1, None);
            return false;
        }

        var cs = md.ConfState ?? new ConfState();
        if (!cs.Voters.Contains(Id) && !cs.Learners.Contains(Id))
        {
            // A snapshot from a configuration that does not include us: ignore it.
            RaftEvents.Dropped(_logger, Id, MessageType.MsgSnapshot, Term, "not in the snapshot's configuration");
            return false;
        }

        if (RaftLog.MatchTerm(md.Index, md.Term))
        {
            // Our log already contains the snapshot's last entry: just fast-forward commit.
            RaftLog.CommitTo(md.Index);
            return false;
        }

        RaftLog.Restore(s);
        RestoreConfState(cs);
        var self = Tracker.Progress[Id];
        self.MaybeUpdate(self.Next - 1);
        return true;
    }

    private void RestoreConfState(ConfState cs)
    {
        Tracker = new ProgressTracker(Tracker.MaxInflight);
        ulong next = RaftLog.LastIndex() + 1;
        foreach (ulong id in cs.Voters)
        {
            Tracker.AddVoter(id, 0, next);
        }

        foreach (ulong id in cs.Learners)
        {
            Tracker.AddLearner(id, 0, next);
        }

        OnConfigurationChanged();
    }
}

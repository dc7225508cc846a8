using TinyKv.Raft.Eraftpb;

namespace TinyKv.Raft;

/// <summary>Single-server membership changes (Raft thesis §4.1): add, remove, add learner, one at a time.</summary>
internal sealed partial class RaftCore
{
    /// <summary>Applies a committed conf change and returns the new configuration.</summary>
    public ConfState ApplyConfChange(ConfChange cc)
    {
        switch (cc.ChangeType)
        {
            case ConfChangeType.AddNode:
                AddNode(cc.NodeId);
                break;
            case ConfChangeType.AddLearnerNode:
                AddLearner(cc.NodeId);
                break;
            case ConfChangeType.RemoveNode:
                RemoveNode(cc.NodeId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cc), cc.ChangeType, "unknown conf change type");
        }

        return Tracker.ConfState();
    }

    /// <summary>Adds a voter (or promotes a learner); adding an existing voter changes nothing.</summary>
    internal void AddNode(ulong id)
    {
        Tracker.AddVoter(id, 0, RaftLog.LastIndex() + 1);
        OnConfigurationChanged();
    }

    /// <summary>Adds a learner (or demotes a voter): it receives the log but neither votes nor counts for commit.</summary>
    internal void AddLearner(ulong id)
    {
        Tracker.AddLearner(id, 0, RaftLog.LastIndex() + 1);
        OnConfigurationChanged();
    }

    /// <summary>Removes a member; the leader re-evaluates commit because the quorum may have shrunk.</summary>
    internal void RemoveNode(ulong id)
    {
        Tracker.Remove(id);
        OnConfigurationChanged();
    }

    private void OnConfigurationChanged()
    {
        IsLearner = Tracker.Progress.TryGetValue(Id, out var self) && self.IsLearner;
        RaftEvents.ConfigurationChanged(_logger, Id, string.Join(" ", Tracker.Voters.Ids), string.Join(" ", Tracker.Learners));
        if (State != StateType.Leader || Tracker.Voters.Count == 0)
        {
            return;
        }

        if (MaybeCommit())
        {
            // A smaller quorum may commit at once (TinyKV 3A: commit after remove).
            OnCommitAdvanced();
        }
        else
        {
            // A new member gets its first probe right away.
            foreach (ulong peer in Tracker.Ids)
            {
                if (peer != Id)
                {
                    MaybeSendAppend(peer, sendIfEmpty: false);
                }
            }
        }

        if (LeadTransferee != None && !Tracker.Voters.Contains(LeadTransferee))
        {
            AbortLeaderTransfer();
        }
    }
}

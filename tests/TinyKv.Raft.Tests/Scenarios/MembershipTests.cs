using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Single-server membership changes (Raft thesis §4.1; paper §6).</summary>
public sealed class MembershipTests
{
    [Fact]
    public void Adding_a_node_adds_it_to_the_voters()
    {
        var r = NewTestRaft(1, Ids(1), 10, 1, new MemoryRaftStorage());

        r.AddNode(2);

        Assert.Equal([1UL, 2UL], Nodes(r));
        Assert.Equal([1UL, 2UL], r.Tracker.Voters.Ids);
    }

    [Fact]
    public void Adding_a_learner_gives_it_progress_but_no_vote()
    {
        var r = NewTestRaft(1, Ids(1), 10, 1, new MemoryRaftStorage());

        r.AddLearner(2);

        Assert.Equal([1UL, 2UL], Nodes(r));
        Assert.Equal([1UL], r.Tracker.Voters.Ids);
        Assert.True(r.Tracker.Progress[2].IsLearner);
        Assert.Equal([2UL], r.Tracker.ConfState().Learners);
    }

    [Fact]
    public void A_learner_never_campaigns()
    {
        var storage = new MemoryRaftStorage(new ConfState { Voters = { 1 }, Learners = { 2 } });
        var r = NewTestRaft(2, null, 10, 1, storage);

        for (int i = 0; i < 100; i++)
        {
            r.Tick();
        }

        Assert.Equal(StateType.Follower, r.State);
        Assert.Empty(r.ReadMessages());
        r.Step(new Message { From = 1, To = 2, MsgType = MessageType.MsgTimeoutNow, Term = 0 });
        Assert.Equal(StateType.Follower, r.State);
    }

    [Fact]
    public void Promoting_a_learner_lets_it_vote()
    {
        var r = NewTestRaft(1, Ids(1), 10, 1, new MemoryRaftStorage());
        r.AddLearner(2);

        r.AddNode(2);

        Assert.Equal([1UL, 2UL], r.Tracker.Voters.Ids);
        Assert.False(r.Tracker.Progress[2].IsLearner);
    }

    [Fact]
    public void Removing_nodes_down_to_none_is_allowed()
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, new MemoryRaftStorage());

        r.RemoveNode(2);
        Assert.Equal([1UL], Nodes(r));

        r.RemoveNode(1);
        Assert.Empty(Nodes(r));
    }

    [Fact]
    public void Removing_a_node_re_evaluates_commit_under_the_smaller_quorum()
    {
        var s = new MemoryRaftStorage();
        var r = NewTestRaft(1, Ids(1, 2), 5, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        var cc = new ConfChange { ChangeType = ConfChangeType.RemoveNode, NodeId = 2 };
        r.Step(ConfChangeProposal(cc));
        Assert.Empty(NextEnts(r, s));
        ulong ccIndex = r.RaftLog.LastIndex();
        r.Step(Propose(1, "hello"));

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppendResponse, Index = ccIndex });

        var ents = NextEnts(r, s);
        Assert.Equal([EntryType.EntryNormal, EntryType.EntryConfChange], ents.Select(e => e.EntryType));
        Assert.True(ents[0].Data.IsEmpty);

        r.ApplyConfChange(cc);

        var after = Assert.Single(NextEnts(r, s));
        Assert.Equal((EntryType.EntryNormal, "hello"), (after.EntryType, after.Data.ToStringUtf8()));
    }

    [Fact]
    public void Only_one_conf_change_may_be_pending_the_second_becomes_a_no_op()
    {
        var s = new MemoryRaftStorage();
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();

        r.Step(ConfChangeProposal(new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 3 }));
        r.Step(ConfChangeProposal(new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 4 }));

        var ents = r.RaftLog.UnstableEntries();
        Assert.Equal([EntryType.EntryNormal, EntryType.EntryConfChange, EntryType.EntryNormal], ents.Select(e => e.EntryType));
        Assert.Equal(2UL, r.PendingConfIndex);
    }

    [Fact]
    public void A_new_leader_treats_its_uncommitted_tail_as_a_possible_conf_change()
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, StorageWithTerms(1, 1));
        r.BecomeCandidate();
        r.BecomeLeader();

        Assert.Equal(2UL, r.PendingConfIndex);
        r.Step(ConfChangeProposal(new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 3 }));
        Assert.Equal(EntryType.EntryNormal, r.RaftLog.UnstableEntries()[^1].EntryType);
    }

    [Fact]
    public void A_node_with_an_unapplied_committed_conf_change_does_not_campaign()
    {
        var s = new MemoryRaftStorage();
        var cc = new ConfChange { ChangeType = ConfChangeType.AddNode, NodeId = 3 };
        s.Append([new Entry { Term = 1, Index = 1, EntryType = EntryType.EntryConfChange, Data = Google.Protobuf.MessageExtensions.ToByteString(cc) }]);
        s.SetHardState(new HardState { Term = 1, Commit = 1 });
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, s);

        r.Step(Hup(1));

        Assert.Equal(StateType.Follower, r.State);
    }

    [Fact]
    public void A_removed_leader_drops_proposals()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeCandidate();
        r.BecomeLeader();

        r.RemoveNode(1);

        Assert.Equal(StepResult.ProposalDropped, r.Step(Propose(1, "x")));
    }

    [Fact]
    public void Adding_a_node_in_a_cluster_replicates_the_log_to_it()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Send(Propose(1, "a"));
        var newcomer = NewTestRaft(4, Ids(1, 2, 3, 4), 10, 1, new MemoryRaftStorage());
        n.Peers[4] = new RaftPeer(newcomer);
        foreach (ulong id in Ids(1, 2, 3))
        {
            n.Raft(id).AddNode(4);
        }

        n.Send(Propose(1, "b"));

        Assert.Equal(n.Raft(1).RaftLog.LastIndex(), newcomer.RaftLog.LastIndex());
        Assert.Equal(Ltoa(n.Raft(1).RaftLog), Ltoa(newcomer.RaftLog));
    }

    internal static Message ConfChangeProposal(ConfChange cc)
    {
        var m = new Message { From = 1, To = 1, MsgType = MessageType.MsgPropose };
        m.Entries.Add(new Entry { EntryType = EntryType.EntryConfChange, Data = Google.Protobuf.MessageExtensions.ToByteString(cc) });
        return m;
    }
}

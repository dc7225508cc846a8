using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>
/// How followers learn the leader's commit index (Raft §5.3): every append carries it, and an
/// advance is announced once per follower when the outbox is taken, not once per acknowledgement.
/// </summary>
public sealed class CommitAnnouncementTests
{
    /// <summary>A leader of {1, 2, 3} at term 1 whose no-op (index 1) is acknowledged by both followers and announced.</summary>
    private static RaftCore ReplicatingLeader()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeCandidate();
        r.BecomeLeader();
        r.ReadMessages();
        r.Step(AppendAck(2, 1, r.Term));
        r.Step(AppendAck(3, 1, r.Term));
        r.ReadMessages();
        return r;
    }

    private static Message AppendAck(ulong from, ulong index, ulong term) =>
        new() { From = from, To = 1, MsgType = MessageType.MsgAppendResponse, Term = term, Index = index };

    private static void ProposeAll(RaftCore r, params string[] data)
    {
        foreach (string d in data)
        {
            r.Step(Propose(1, d));
        }
    }

    [Fact]
    public void A_commit_reaches_each_follower_in_an_empty_append_when_nothing_new_is_proposed()
    {
        var r = ReplicatingLeader();
        ProposeAll(r, "a");
        r.ReadMessages();

        r.Step(AppendAck(2, 2, r.Term));

        Assert.Equal(2UL, r.RaftLog.Committed);
        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal([2UL, 3UL], msgs.Select(m => m.To));
        Assert.All(msgs, m =>
        {
            Assert.Equal(MessageType.MsgAppend, m.MsgType);
            Assert.Equal((2UL, 1UL, 2UL), (m.Index, m.LogTerm, m.Commit));
            Assert.Empty(m.Entries);
        });
    }

    [Fact]
    public void Several_acknowledgements_in_one_round_announce_only_the_latest_commit_once_per_follower()
    {
        var r = ReplicatingLeader();
        ProposeAll(r, "a", "b", "c");
        r.ReadMessages();

        for (ulong index = 2; index <= 4; index++)
        {
            r.Step(AppendAck(2, index, r.Term));
            Assert.Equal(index, r.RaftLog.Committed);
        }

        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal([2UL, 3UL], msgs.Select(m => m.To));
        Assert.All(msgs, m => Assert.Equal((MessageType.MsgAppend, 4UL, 0), (m.MsgType, m.Commit, m.Entries.Count)));
    }

    [Fact]
    public void An_append_queued_after_the_commit_advanced_carries_it_and_no_empty_append_is_added()
    {
        var r = ReplicatingLeader();
        ProposeAll(r, "a");
        r.ReadMessages();
        r.Step(AppendAck(2, 2, r.Term));

        ProposeAll(r, "b");

        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal([2UL, 3UL], msgs.Select(m => m.To));
        Assert.All(msgs, m =>
        {
            Assert.Equal((MessageType.MsgAppend, 2UL), (m.MsgType, m.Commit));
            Assert.Equal("b", Assert.Single(m.Entries).Data.ToStringUtf8());
        });
    }

    [Fact]
    public void An_append_queued_before_the_commit_advanced_does_not_count_as_the_announcement()
    {
        var r = ReplicatingLeader();
        ProposeAll(r, "a");
        r.ReadMessages();
        ProposeAll(r, "b");

        r.Step(AppendAck(2, 2, r.Term));

        var to3 = r.ReadMessages().Where(m => m.To == 3).ToList();
        Assert.Equal([(1, 1UL), (0, 2UL)], to3.Select(m => (m.Entries.Count, m.Commit)));
    }

    [Fact]
    public void A_leader_that_steps_down_before_its_outbox_is_taken_announces_nothing_in_its_old_term()
    {
        var r = ReplicatingLeader();
        ProposeAll(r, "a");
        r.ReadMessages();
        r.Step(AppendAck(2, 2, r.Term));

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgHeartbeat, Term = r.Term + 1, Commit = 2 });

        Assert.Equal(StateType.Follower, r.State);
        var m = Assert.Single(r.ReadMessages());
        Assert.Equal((MessageType.MsgHeartbeatResponse, 2UL), (m.MsgType, m.To));
    }

    [Fact]
    public void Followers_reach_the_leaders_commit_although_no_proposal_follows()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));

        n.Send(Propose(1, "only"));

        foreach (ulong id in Ids(1, 2, 3))
        {
            Assert.Equal(2UL, n.Raft(id).RaftLog.Committed);
        }
    }

    [Fact]
    public void A_follower_that_lost_the_announcement_learns_the_commit_from_the_next_heartbeat()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.MessageHook = m => !(m.To == 3 && m.MsgType == MessageType.MsgAppend && m.Entries.Count == 0);

        n.Send(Propose(1, "x"));
        Assert.Equal((2UL, 1UL), (n.Raft(1).RaftLog.Committed, n.Raft(3).RaftLog.Committed));
        Assert.Equal(2UL, n.Raft(3).RaftLog.LastIndex());

        n.MessageHook = null;
        n.Send(Beat(1));

        Assert.Equal(2UL, n.Raft(3).RaftLog.Committed);
    }
}

using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using TinyKv.Raft.Tracker;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Log compaction and InstallSnapshot (Raft §7).</summary>
public sealed class SnapshotTests
{
    private static Snapshot Snap(ulong index, ulong term, params ulong[] voters)
    {
        var cs = new ConfState();
        cs.Voters.AddRange(voters);
        return new Snapshot { Metadata = new SnapshotMetadata { Index = index, Term = term, ConfState = cs } };
    }

    [Fact]
    public void A_follower_restores_the_log_and_configuration_from_a_snapshot()
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, new MemoryRaftStorage());

        Assert.True(r.Restore(Snap(11, 11, 1, 2, 3)));

        Assert.Equal(11UL, r.RaftLog.LastIndex());
        Assert.Equal(11UL, r.RaftLog.ZeroTermOnCompacted(11));
        Assert.Equal([1UL, 2UL, 3UL], Nodes(r));
        Assert.False(r.Restore(Snap(11, 11, 1, 2, 3)));
    }

    [Fact]
    public void A_snapshot_covered_by_the_log_is_ignored_but_may_fast_forward_commit()
    {
        var s = StorageWithTerms(1, 1, 1);
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, s);
        r.RaftLog.CommitTo(1);

        Assert.False(r.Restore(Snap(1, 1, 1, 2)));
        Assert.Equal(1UL, r.RaftLog.Committed);

        Assert.False(r.Restore(Snap(2, 1, 1, 2)));
        Assert.Equal(2UL, r.RaftLog.Committed);
    }

    [Fact]
    public void A_leader_sends_a_snapshot_when_the_follower_needs_compacted_entries()
    {
        var s = new MemoryRaftStorage();
        s.ApplySnapshot(Snap(11, 11, 1, 2));
        var r = NewTestRaft(1, null, 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.ReadMessages();

        // The follower rejects the append at FirstIndex-1, which is compacted.
        r.Tracker.Progress[2].Next = r.RaftLog.FirstIndex();
        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppendResponse, Index = r.Tracker.Progress[2].Next - 1, Reject = true });

        var m = Assert.Single(r.ReadMessages());
        Assert.Equal(MessageType.MsgSnapshot, m.MsgType);
        Assert.Equal(ProgressState.Snapshot, r.Tracker.Progress[2].State);
    }

    [Fact]
    public void A_leader_does_not_send_a_snapshot_to_an_inactive_follower()
    {
        var s = new MemoryRaftStorage();
        s.ApplySnapshot(Snap(11, 11, 1, 2));
        var r = NewTestRaft(1, null, 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.ReadMessages();
        r.Tracker.Progress[2].Next = r.RaftLog.FirstIndex() - 1;
        r.Tracker.Progress[2].RecentActive = false;

        r.Step(Propose(1, "somedata"));

        Assert.Empty(r.ReadMessages());
    }

    [Fact]
    public void A_follower_learns_the_leader_from_its_snapshot()
    {
        var r = NewTestRaft(2, Ids(1, 2), 10, 1, new MemoryRaftStorage());

        r.Step(new Message { From = 1, To = 2, Term = 2, MsgType = MessageType.MsgSnapshot, Snapshot = Snap(11, 11, 1, 2, 3) });

        Assert.Equal(1UL, r.Lead);
    }

    [Fact]
    public void A_snapshot_replaces_the_peer_set_even_when_it_only_overlaps()
    {
        var r = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());

        r.Step(new Message { From = 1, To = 2, Term = 2, MsgType = MessageType.MsgSnapshot, Snapshot = Snap(11, 11, 2, 3, 4) });

        Assert.Equal(1UL, r.Lead);
        Assert.Equal([2UL, 3UL, 4UL], Nodes(r));
    }

    [Fact]
    public void A_snapshot_whose_configuration_excludes_the_node_is_ignored()
    {
        var r = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());

        r.Step(new Message { From = 1, To = 2, Term = 2, MsgType = MessageType.MsgSnapshot, Snapshot = Snap(11, 11, 1, 3) });

        Assert.Equal(0UL, r.RaftLog.LastIndex());
        Assert.Equal([1UL, 2UL, 3UL], Nodes(r));
    }

    [Fact]
    public void A_slow_follower_catches_up_through_a_snapshot()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        for (int j = 0; j <= 100; j++)
        {
            n.Send(Propose(1, "x"));
        }

        var lead = n.Raft(1);
        NextEnts(lead, n.Storage[1]);
        Assert.Equal(StorageError.None, n.Storage[1].CreateSnapshot(lead.RaftLog.Applied, lead.Tracker.ConfState(), default, out _));
        Assert.Equal(StorageError.None, n.Storage[1].Compact(lead.RaftLog.Applied));
        n.Recover();

        for (int i = 0; i < 10 && !lead.Tracker.Progress[3].RecentActive; i++)
        {
            n.Send(Beat(1));
        }

        n.Send(Propose(1, "x"));
        n.Send(Propose(1, "x"));

        Assert.Equal(lead.RaftLog.Committed, n.Raft(3).RaftLog.Committed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Snapshot_status_moves_the_follower_back_to_probe(bool failed)
    {
        var s = new MemoryRaftStorage();
        s.ApplySnapshot(Snap(11, 11, 1, 2));
        var r = NewTestRaft(1, null, 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Tracker.Progress[2].BecomeSnapshot(11);

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgSnapStatus, Reject = failed });

        var pr = r.Tracker.Progress[2];
        Assert.Equal(ProgressState.Probe, pr.State);
        Assert.True(pr.ProbeSent);
        Assert.Equal(failed ? 1UL : 12UL, pr.Next);
    }

    [Fact]
    public void An_unreachable_report_stops_pipelining_to_the_follower()
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, new MemoryRaftStorage());
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Tracker.Progress[2].BecomeReplicate();

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgUnreachable });

        Assert.Equal(ProgressState.Probe, r.Tracker.Progress[2].State);
    }
}

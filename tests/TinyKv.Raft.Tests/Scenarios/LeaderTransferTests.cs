using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Leadership transfer (Raft thesis §3.10): MsgTransferLeader and MsgTimeoutNow.</summary>
public sealed class LeaderTransferTests
{
    private static Message Transfer(ulong from, ulong to) => Msg(from, to, MessageType.MsgTransferLeader);

    private static void AssertTransferState(RaftCore r, StateType state, ulong lead)
    {
        Assert.Equal((state, lead), (r.State, r.Lead));
        Assert.Equal(RaftCore.None, r.LeadTransferee);
    }

    [Fact]
    public void Leadership_moves_to_an_up_to_date_follower_and_back()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        var lead = n.Raft(1);

        n.Send(Transfer(2, 1));
        AssertTransferState(lead, StateType.Follower, 2);

        n.Send(Propose(1, "x"));
        n.Send(Transfer(1, 2));
        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void A_follower_forwards_a_transfer_request_to_the_leader()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        var lead = n.Raft(1);

        n.Send(Transfer(2, 2));
        AssertTransferState(lead, StateType.Follower, 2);

        n.Send(Propose(1, "x"));
        n.Send(Transfer(1, 1));
        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void A_lagging_transferee_is_caught_up_before_it_is_told_to_campaign()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        n.Send(Propose(1, "x"));
        n.Recover();
        var lead = n.Raft(1);
        Assert.Equal(1UL, lead.Tracker.Progress[3].Match);

        n.Send(Transfer(3, 1));

        AssertTransferState(lead, StateType.Follower, 3);
    }

    [Fact]
    public void A_transferee_that_needs_a_snapshot_gets_it_and_then_leadership()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        n.Send(Propose(1, "x"));
        var lead = n.Raft(1);
        NextEnts(lead, n.Storage[1]);
        n.Storage[1].CreateSnapshot(lead.RaftLog.Applied, lead.Tracker.ConfState(), default, out _);
        n.Storage[1].Compact(lead.RaftLog.Applied);
        n.Recover();
        Assert.Equal(1UL, lead.Tracker.Progress[3].Match);

        // The transferee acknowledges the snapshot only once it has persisted it.
        Message? held = null;
        n.MessageHook = m =>
        {
            if (m.MsgType == MessageType.MsgAppendResponse && m.From == 3 && !m.Reject)
            {
                held = m;
                return false;
            }

            return true;
        };

        n.Send(Transfer(3, 1));

        Assert.Equal(StateType.Leader, lead.State);
        Assert.NotNull(held);
        var follower = n.Raft(3);
        var snap = follower.RaftLog.Unstable.Snapshot!;
        Assert.Equal(StorageError.None, n.Storage[3].ApplySnapshot(snap));
        follower.RaftLog.StableSnapTo(snap.Metadata.Index);
        follower.RaftLog.AppliedTo(snap.Metadata.Index);
        n.MessageHook = null;
        n.Send(held);

        AssertTransferState(lead, StateType.Follower, 3);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(4UL)]
    public void A_transfer_to_self_or_to_a_non_member_does_nothing(ulong target)
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));

        n.Send(Transfer(target, 1));

        AssertTransferState(n.Raft(1), StateType.Leader, 1);
    }

    [Fact]
    public void Proposals_are_dropped_while_a_transfer_is_pending()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));
        Assert.Equal(3UL, lead.LeadTransferee);

        Assert.Equal(StepResult.ProposalDropped, lead.Step(Propose(1, "x")));
        Assert.Equal(1UL, lead.Tracker.Progress[1].Match);
    }

    [Fact]
    public void A_pending_transfer_is_aborted_after_an_election_timeout()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));
        Assert.Equal(3UL, lead.LeadTransferee);

        for (int i = 0; i < lead.ElectionTimeout - 1; i++)
        {
            lead.Tick();
        }

        Assert.Equal(3UL, lead.LeadTransferee);
        lead.Tick();
        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void Repeating_a_pending_transfer_does_not_extend_it()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));
        for (int i = 0; i < lead.ElectionTimeout - 1; i++)
        {
            lead.Tick();
        }

        n.Send(Transfer(3, 1));
        lead.Tick();

        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void A_higher_term_election_during_a_transfer_wins_over_it()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));
        Assert.Equal(3UL, lead.LeadTransferee);

        n.Send(Hup(2));

        AssertTransferState(lead, StateType.Follower, 2);
    }

    [Fact]
    public void Removing_the_transferee_aborts_the_transfer_and_a_later_transfer_to_it_is_ignored()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Ignore(MessageType.MsgTimeoutNow);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));
        Assert.Equal(3UL, lead.LeadTransferee);

        lead.RemoveNode(3);
        AssertTransferState(lead, StateType.Leader, 1);

        n.Send(Transfer(3, 1));
        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void A_transfer_back_to_the_leader_cancels_a_pending_one()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));

        n.Send(Transfer(1, 1));

        AssertTransferState(lead, StateType.Leader, 1);
    }

    [Fact]
    public void A_second_transfer_to_another_node_replaces_the_first()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        var lead = n.Raft(1);
        n.Send(Transfer(3, 1));

        n.Send(Transfer(2, 1));

        AssertTransferState(lead, StateType.Follower, 2);
    }

    [Fact]
    public void A_node_outside_its_own_configuration_ignores_timeout_now_and_votes()
    {
        var r = NewTestRaft(1, Ids(2, 3, 4), 5, 1, new MemoryRaftStorage());

        r.Step(Msg(2, 1, MessageType.MsgTimeoutNow));
        r.Step(Msg(2, 1, MessageType.MsgRequestVoteResponse, r.Term == 0 ? 0 : r.Term));
        r.Step(Msg(3, 1, MessageType.MsgRequestVoteResponse));

        Assert.Equal(StateType.Follower, r.State);
    }

    [Fact]
    public void A_transfer_to_a_learner_is_ignored()
    {
        var r = NewTestRaft(1, Ids(1), 10, 1, new MemoryRaftStorage());
        r.AddLearner(2);
        r.BecomeCandidate();
        r.BecomeLeader();

        r.Step(Transfer(2, 1));

        AssertTransferState(r, StateType.Leader, 1);
    }

    [Fact]
    public void Timeout_now_makes_the_transferee_campaign_past_leases_and_pre_vote()
    {
        Func<RaftConfig, RaftConfig> cfg = c => new RaftConfig
        {
            Id = c.Id, Peers = c.Peers, ElectionTick = c.ElectionTick, HeartbeatTick = c.HeartbeatTick, Storage = c.Storage, PreVote = true, CheckQuorum = true,
        };
        var n = Network.WithConfig(cfg, null, null, null);
        var r1 = n.Raft(1);
        n.Send(Hup(1));
        Assert.Equal(StateType.Leader, r1.State);

        n.Send(Transfer(2, 1));

        Assert.Equal(StateType.Leader, n.Raft(2).State);
        Assert.Equal(StateType.Follower, r1.State);
    }
}

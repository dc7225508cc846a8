using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>PreVote (Raft thesis §9.6) and CheckQuorum / leader leases (§6.2, §4.2.3).</summary>
public sealed class PreVoteAndCheckQuorumTests
{
    private static Func<RaftConfig, RaftConfig> With(bool preVote, bool checkQuorum) => c => new RaftConfig
    {
        Id = c.Id,
        Peers = c.Peers,
        ElectionTick = c.ElectionTick,
        HeartbeatTick = c.HeartbeatTick,
        Storage = c.Storage,
        PreVote = preVote,
        CheckQuorum = checkQuorum,
    };

    [Fact]
    public void A_leader_that_hears_from_a_quorum_stays_leader()
    {
        var n = Network.WithConfig(With(false, true), null, null, null);
        n.Send(Hup(1));
        var r = n.Raft(1);

        for (int i = 0; i < r.ElectionTimeout + 1; i++)
        {
            r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgHeartbeatResponse, Term = r.Term });
            r.Tick();
        }

        Assert.Equal(StateType.Leader, r.State);
    }

    [Fact]
    public void A_leader_that_lost_its_quorum_steps_down_after_an_election_timeout()
    {
        var n = Network.WithConfig(With(false, true), null, null, null);
        n.Send(Hup(1));
        n.Isolate(1);
        var r = n.Raft(1);

        // The followers answered during the election, so the first check passes; the second finds no one.
        for (int i = 0; i < r.ElectionTimeout; i++)
        {
            r.Tick();
        }

        Assert.Equal(StateType.Leader, r.State);
        for (int i = 0; i < r.ElectionTimeout; i++)
        {
            r.Tick();
        }

        Assert.Equal(StateType.Follower, r.State);
        Assert.Equal(RaftCore.None, r.Lead);
    }

    [Fact]
    public void Within_the_lease_followers_ignore_a_disruptive_candidate()
    {
        var n = Network.WithConfig(With(false, true), null, null, null);
        var b = n.Raft(2);
        b.RandomizedElectionTimeout = b.ElectionTimeout + 1;
        for (int i = 0; i < b.ElectionTimeout; i++)
        {
            b.Tick();
        }

        n.Send(Hup(1));
        Assert.Equal(StateType.Leader, n.Raft(1).State);

        n.Send(Hup(3));
        Assert.Equal(StateType.Candidate, n.Raft(3).State);
        Assert.Equal(StateType.Leader, n.Raft(1).State);

        // Once node 2's lease expires it may vote again.
        for (int i = 0; i < b.ElectionTimeout; i++)
        {
            b.Tick();
        }

        n.Send(Hup(3));
        Assert.Equal(StateType.Leader, n.Raft(3).State);
    }

    [Fact]
    public void With_pre_vote_a_partitioned_node_does_not_raise_its_term_or_disrupt_the_cluster_on_rejoin()
    {
        var n = Network.WithConfig(With(true, false), null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        n.Send(Propose(1, "x"));
        var r3 = n.Raft(3);

        for (int i = 0; i < 10 * r3.ElectionTimeout; i++)
        {
            r3.Tick();
            r3.ReadMessages();
        }

        Assert.Equal(StateType.PreCandidate, r3.State);
        Assert.Equal(1UL, r3.Term);

        n.Recover();
        n.Send(Hup(3));

        Assert.Equal((StateType.Leader, 1UL), (n.Raft(1).State, n.Raft(1).Term));
        n.Send(Beat(1));
        Assert.Equal((StateType.Follower, 1UL, 1UL), (r3.State, r3.Term, r3.Lead));
    }

    [Fact]
    public void Without_pre_vote_a_rejoining_node_with_a_higher_term_disrupts_the_leader()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Isolate(3);
        n.Send(Propose(1, "x"));
        n.Send(Hup(3));
        n.Send(Hup(3));
        Assert.Equal(3UL, n.Raft(3).Term);

        n.Recover();
        n.Send(Hup(3));

        Assert.Equal(StateType.Follower, n.Raft(1).State);
        Assert.Equal(4UL, n.Raft(1).Term);
    }

    [Fact]
    public void A_pre_candidate_that_wins_the_pre_vote_campaigns_for_real()
    {
        var n = Network.WithConfig(With(true, false), null, null, null);

        n.Send(Hup(1));

        Assert.Equal((StateType.Leader, 1UL), (n.Raft(1).State, n.Raft(1).Term));
        Assert.Equal((StateType.Follower, 1UL), (n.Raft(2).State, n.Raft(2).Term));
    }

    [Fact]
    public void A_stuck_candidate_with_a_higher_term_is_freed_by_check_quorum()
    {
        var n = Network.WithConfig(With(false, true), null, null, null);
        var a = n.Raft(1);
        var b = n.Raft(2);
        var c = n.Raft(3);
        b.RandomizedElectionTimeout = b.ElectionTimeout + 1;
        for (int i = 0; i < b.ElectionTimeout; i++)
        {
            b.Tick();
        }

        n.Send(Hup(1));
        n.Isolate(1);
        n.Send(Hup(3));
        Assert.Equal((StateType.Follower, StateType.Candidate), (b.State, c.State));
        Assert.Equal(b.Term + 1, c.Term);

        n.Send(Hup(3));
        Assert.Equal(b.Term + 2, c.Term);

        n.Recover();
        n.Send(new Message { From = 1, To = 3, MsgType = MessageType.MsgHeartbeat, Term = a.Term });

        // The leader learned the higher term from the reply and stepped down.
        Assert.Equal(StateType.Follower, a.State);
        Assert.Equal(a.Term, c.Term);
    }
}

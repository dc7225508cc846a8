using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Leader election in whole clusters (Raft §5.2), on the simulated network.</summary>
public sealed class ElectionScenarioTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_candidate_wins_only_when_a_quorum_of_the_cluster_is_alive(bool preVote)
    {
        Func<RaftConfig, RaftConfig> cfg = c => new RaftConfig { Id = c.Id, Peers = c.Peers, ElectionTick = c.ElectionTick, HeartbeatTick = c.HeartbeatTick, Storage = c.Storage, PreVote = preVote };
        var cases = new (Network Net, StateType State)[]
        {
            (Network.WithConfig(cfg, null, null, null), StateType.Leader),
            (Network.WithConfig(cfg, null, null, BlackHole.Instance), StateType.Leader),
            (Network.WithConfig(cfg, null, BlackHole.Instance, BlackHole.Instance), preVote ? StateType.PreCandidate : StateType.Candidate),
            (Network.WithConfig(cfg, null, BlackHole.Instance, BlackHole.Instance, null), preVote ? StateType.PreCandidate : StateType.Candidate),
            (Network.WithConfig(cfg, null, BlackHole.Instance, BlackHole.Instance, null, null), StateType.Leader),
        };
        foreach (var (net, want) in cases)
        {
            net.Send(Hup(1));
            var r = net.Raft(1);
            Assert.Equal(want, r.State);
            // A failed pre-vote never raises the term.
            Assert.Equal(want == StateType.PreCandidate ? 0UL : 1UL, r.Term);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_node_can_win_an_election_in_turn(bool preVote)
    {
        var n = Network.WithConfig(c => WithPreVote(c, preVote), null, null, null);
        for (ulong campaigner = 1; campaigner <= 3; campaigner++)
        {
            n.Send(Hup(campaigner));
            foreach (ulong id in Ids(1, 2, 3))
            {
                Assert.Equal(id == campaigner ? StateType.Leader : StateType.Follower, n.Raft(id).State);
            }
        }
    }

    [Theory]
    [InlineData(StateType.Follower, MessageType.MsgRequestVote)]
    [InlineData(StateType.PreCandidate, MessageType.MsgRequestVote)]
    [InlineData(StateType.Candidate, MessageType.MsgRequestVote)]
    [InlineData(StateType.Leader, MessageType.MsgRequestVote)]
    [InlineData(StateType.Follower, MessageType.MsgRequestPreVote)]
    [InlineData(StateType.PreCandidate, MessageType.MsgRequestPreVote)]
    [InlineData(StateType.Candidate, MessageType.MsgRequestPreVote)]
    [InlineData(StateType.Leader, MessageType.MsgRequestPreVote)]
    public void Any_state_grants_a_vote_for_a_higher_term_with_an_up_to_date_log(StateType state, MessageType voteType)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.Term = 1;
        switch (state)
        {
            case StateType.Follower:
                r.BecomeFollower(r.Term, 3);
                break;
            case StateType.PreCandidate:
                r.BecomePreCandidate();
                break;
            case StateType.Candidate:
                r.BecomeCandidate();
                break;
            case StateType.Leader:
                r.BecomeCandidate();
                r.BecomeLeader();
                break;
        }

        ulong origTerm = r.Term;
        ulong origVote = r.Vote;
        ulong newTerm = r.Term + 1;
        r.Step(new Message { From = 2, To = 1, MsgType = voteType, Term = newTerm, LogTerm = newTerm, Index = 42 });

        var resp = Assert.Single(r.ReadMessages());
        Assert.Equal(RaftCore.VoteResponseType(voteType), resp.MsgType);
        Assert.False(resp.Reject);
        if (voteType == MessageType.MsgRequestVote)
        {
            Assert.Equal(StateType.Follower, r.State);
            Assert.Equal(newTerm, r.Term);
            Assert.Equal(2UL, r.Vote);
        }
        else
        {
            // A pre-vote changes nothing on the voter.
            Assert.Equal(state, r.State);
            Assert.Equal(origTerm, r.Term);
            Assert.Equal(origVote, r.Vote);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_single_node_cluster_elects_itself(bool preVote)
    {
        var n = Network.WithConfig(c => WithPreVote(c, preVote), new object?[] { null });

        n.Send(Hup(1));

        Assert.Equal(StateType.Leader, n.Raft(1).State);
    }

    [Theory]
    [InlineData(MessageType.MsgHeartbeat)]
    [InlineData(MessageType.MsgAppend)]
    public void A_candidate_of_a_lower_term_becomes_follower_when_the_leader_reaches_it(MessageType type)
    {
        var a = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var b = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var c = NewTestRaft(3, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var n = new Network(a, b, c);
        n.Send(Hup(1));
        n.Isolate(3);
        n.Send(Hup(2));
        n.Send(Hup(1));
        Assert.Equal(StateType.Leader, a.State);
        Assert.Equal(StateType.Follower, b.State);

        c.ResetRandomizedElectionTimeout();
        for (int i = 0; i < c.RandomizedElectionTimeout; i++)
        {
            c.Tick();
        }

        Assert.Equal(StateType.Candidate, c.State);
        n.Recover();

        n.Send(new Message { From = 1, To = 3, Term = a.Term, MsgType = type });

        Assert.Equal(StateType.Follower, c.State);
        Assert.Equal(a.Term, c.Term);
    }

    [Fact]
    public void A_stale_term_message_gets_a_reply_carrying_the_higher_term_which_makes_the_leader_step_down()
    {
        var n1 = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var n2 = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var n3 = NewTestRaft(3, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        foreach (var r in new[] { n1, n2, n3 })
        {
            r.BecomeFollower(1, RaftCore.None);
        }

        var n = new Network(n1, n2, n3);
        n.Send(Hup(1));
        Assert.Equal(StateType.Leader, n1.State);
        Assert.Equal(2UL, n1.Term);

        n3.RandomizedElectionTimeout = n3.ElectionTimeout + 2;
        for (int i = 0; i < n3.RandomizedElectionTimeout; i++)
        {
            n3.Tick();
        }

        Assert.Equal(StateType.Candidate, n3.State);
        Assert.Equal(3UL, n3.Term);

        n.Send(new Message { From = 1, To = 3, Term = n1.Term, MsgType = MessageType.MsgHeartbeat });

        Assert.Equal(StateType.Follower, n1.State);
        Assert.Equal(3UL, n1.Term);
    }

    [Theory]
    [InlineData(StateType.Follower, 0)]
    [InlineData(StateType.Candidate, 0)]
    [InlineData(StateType.Leader, 2)]
    public void Only_a_leader_heartbeats_on_MsgBeat(StateType state, int heartbeats)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, StorageWithTerms(0, 1));
        Paper.Section5_2_LeaderElectionTests.MakeState(r, state);
        r.ReadMessages();

        r.Step(Beat(1));

        var msgs = r.ReadMessages();
        Assert.Equal(heartbeats, msgs.Count);
        Assert.All(msgs, m => Assert.Equal(MessageType.MsgHeartbeat, m.MsgType));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Campaigning_while_leader_keeps_the_term(bool preVote)
    {
        var cfg = WithPreVote(NewTestConfig(1, Ids(1), 5, 1, new MemoryRaftStorage()), preVote);
        var r = new RaftCore(cfg);
        r.Step(Hup(1));
        Assert.Equal(StateType.Leader, r.State);
        ulong term = r.Term;

        r.Step(Hup(1));

        Assert.Equal(StateType.Leader, r.State);
        Assert.Equal(term, r.Term);
    }

    [Fact]
    public void A_split_vote_is_resolved_by_a_later_election()
    {
        var rs = Ids(1, 2, 3).Select(id => NewTestRaft(id, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage())).ToArray();
        foreach (var r in rs)
        {
            r.BecomeFollower(1, RaftCore.None);
        }

        var n = new Network(rs[0], rs[1], rs[2]);
        n.Send(Hup(1));
        Assert.Equal(2UL, rs[0].Term);
        n.Isolate(1);

        n.Send(Hup(2), Hup(3));

        Assert.Equal((StateType.Candidate, 3UL), (rs[1].State, rs[1].Term));
        Assert.Equal((StateType.Candidate, 3UL), (rs[2].State, rs[2].Term));

        n.Send(Hup(2));

        Assert.Equal((StateType.Leader, 4UL), (rs[1].State, rs[1].Term));
        Assert.Equal((StateType.Follower, 4UL), (rs[2].State, rs[2].Term));
    }

    [Fact]
    public void A_rejecting_majority_turns_a_candidate_back_into_a_follower()
    {
        var a = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var b = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var c = NewTestRaft(3, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var n = new Network(a, b, c);
        n.Cut(1, 3);

        n.Send(Hup(1));
        n.Send(Hup(3));

        Assert.Equal(StateType.Leader, a.State);
        Assert.Equal(StateType.Candidate, c.State);

        n.Recover();
        // Node 3 disrupts the leader with its higher term but cannot win: its log is shorter.
        n.Send(Hup(3));

        foreach (var r in new[] { a, b, c })
        {
            Assert.Equal((StateType.Follower, 2UL), (r.State, r.Term));
        }

        string leaderLog = Ltoa(LogOf(1, 0, E(1, 1)));
        Assert.Equal(leaderLog, Ltoa(a.RaftLog));
        Assert.Equal(leaderLog, Ltoa(b.RaftLog));
        Assert.Equal(Ltoa(LogOf(0, 0)), Ltoa(c.RaftLog));
    }

    [Fact]
    public void A_candidate_concedes_to_the_leader_of_its_term()
    {
        var n = new Network(null, null, null);
        n.Isolate(1);
        n.Send(Hup(1));
        n.Send(Hup(3));
        n.Recover();

        n.Send(Beat(3));
        n.Send(Propose(3, "force follower"));
        n.Send(Beat(3));

        var a = n.Raft(1);
        Assert.Equal((StateType.Follower, 1UL), (a.State, a.Term));
        string want = Ltoa(LogOf(2, 0, E(1, 1), E(1, 2, "force follower")));
        foreach (ulong id in Ids(1, 2, 3))
        {
            Assert.Equal(want, Ltoa(n.Raft(id).RaftLog));
        }
    }

    [Fact]
    public void Pre_vote_from_a_stale_term_is_rejected_with_the_current_term()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeFollower(5, 2);

        r.Step(new Message { From = 3, To = 1, MsgType = MessageType.MsgRequestPreVote, Term = 3 });

        Assert.Equal(
            [new Message { From = 1, To = 3, MsgType = MessageType.MsgRequestPreVoteResponse, Term = 5, Reject = true }],
            r.ReadMessages());
    }

    private static RaftConfig WithPreVote(RaftConfig c, bool preVote) => new()
    {
        Id = c.Id,
        Peers = c.Peers,
        ElectionTick = c.ElectionTick,
        HeartbeatTick = c.HeartbeatTick,
        Storage = c.Storage,
        MaxSizePerMsg = c.MaxSizePerMsg,
        PreVote = preVote,
    };
}

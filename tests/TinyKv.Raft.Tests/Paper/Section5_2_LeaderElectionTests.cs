using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Paper;

/// <summary>Raft §5.1–5.2: terms, roles, elections and randomized timeouts.</summary>
public sealed class Section5_2_LeaderElectionTests
{
    [Theory]
    [InlineData(StateType.Follower)]
    [InlineData(StateType.Candidate)]
    [InlineData(StateType.Leader)]
    public void Any_state_adopts_a_higher_term_from_an_append_and_becomes_follower(StateType state)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        MakeState(r, state);

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = 2 });

        Assert.Equal(2UL, r.Term);
        Assert.Equal(StateType.Follower, r.State);
    }

    [Fact]
    public void A_node_rejects_messages_of_a_stale_term_by_answering_with_its_own()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeFollower(2, 2);

        r.Step(new Message { From = 3, To = 1, MsgType = MessageType.MsgAppend, Term = 1 });

        var msgs = r.ReadMessages();
        var reply = Assert.Single(msgs);
        Assert.Equal(MessageType.MsgAppendResponse, reply.MsgType);
        Assert.Equal(2UL, reply.Term);
        Assert.Equal(2UL, r.Term);
    }

    [Fact]
    public void A_new_node_starts_as_follower_at_term_zero()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());

        Assert.Equal(StateType.Follower, r.State);
        Assert.Equal(0UL, r.Term);
    }

    [Fact]
    public void A_leader_heartbeats_every_peer_on_each_heartbeat_timeout()
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Step(Propose(1, "x"));
        r.ReadMessages();

        r.Tick();

        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal(
            [
                new Message { From = 1, To = 2, Term = 1, MsgType = MessageType.MsgHeartbeat },
                new Message { From = 1, To = 3, Term = 1, MsgType = MessageType.MsgHeartbeat },
            ],
            msgs);
    }

    [Theory]
    [InlineData(StateType.Follower)]
    [InlineData(StateType.Candidate)]
    public void A_non_leader_starts_an_election_after_the_election_timeout(StateType state)
    {
        const int et = 10;
        var r = NewTestRaft(1, Ids(1, 2, 3), et, 1, new MemoryRaftStorage());
        if (state == StateType.Follower)
        {
            r.BecomeFollower(1, 2);
        }
        else
        {
            r.BecomeCandidate();
        }

        for (int i = 1; i < 2 * et; i++)
        {
            r.Tick();
        }

        Assert.Equal(2UL, r.Term);
        Assert.Equal(StateType.Candidate, r.State);
        Assert.True(r.Tracker.Votes[1]);
        Assert.Equal(
            [
                new Message { From = 1, To = 2, Term = 2, MsgType = MessageType.MsgRequestVote },
                new Message { From = 1, To = 3, Term = 2, MsgType = MessageType.MsgRequestVote },
            ],
            Sorted(r.ReadMessages()).ToList());
    }

    [Theory]
    [InlineData(1, "", StateType.Leader)]
    [InlineData(3, "2+ 3+", StateType.Leader)]
    [InlineData(3, "2+", StateType.Leader)]
    [InlineData(5, "2+ 3+ 4+ 5+", StateType.Leader)]
    [InlineData(5, "2+ 3+ 4+", StateType.Leader)]
    [InlineData(5, "2+ 3+", StateType.Leader)]
    [InlineData(3, "2- 3-", StateType.Follower)]
    [InlineData(5, "2- 3- 4- 5-", StateType.Follower)]
    [InlineData(5, "2+ 3- 4- 5-", StateType.Follower)]
    [InlineData(3, "", StateType.Candidate)]
    [InlineData(5, "2+", StateType.Candidate)]
    [InlineData(5, "2- 3-", StateType.Candidate)]
    [InlineData(5, "", StateType.Candidate)]
    public void A_candidate_wins_with_a_majority_loses_with_a_rejecting_majority_and_waits_otherwise(int size, string votes, StateType expected)
    {
        var r = NewTestRaft(1, [.. Enumerable.Range(1, size).Select(i => (ulong)i)], 10, 1, new MemoryRaftStorage());

        r.Step(Hup(1));
        foreach (string v in votes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            ulong from = ulong.Parse(v[..^1], System.Globalization.CultureInfo.InvariantCulture);
            r.Step(new Message { From = from, To = 1, Term = r.Term, MsgType = MessageType.MsgRequestVoteResponse, Reject = v[^1] == '-' });
        }

        Assert.Equal(expected, r.State);
        Assert.Equal(1UL, r.Term);
    }

    [Theory]
    [InlineData(RaftCore.None, 2UL, false)]
    [InlineData(RaftCore.None, 3UL, false)]
    [InlineData(2UL, 2UL, false)]
    [InlineData(3UL, 3UL, false)]
    [InlineData(2UL, 3UL, true)]
    [InlineData(3UL, 2UL, true)]
    public void A_follower_votes_for_at_most_one_candidate_per_term_first_come_first_served(ulong vote, ulong candidate, bool reject)
    {
        var storage = new MemoryRaftStorage();
        storage.SetHardState(new HardState { Term = 1, Vote = vote });
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, storage);

        r.Step(new Message { From = candidate, To = 1, Term = 1, MsgType = MessageType.MsgRequestVote });

        Assert.Equal(
            [new Message { From = 1, To = candidate, Term = 1, MsgType = MessageType.MsgRequestVoteResponse, Reject = reject }],
            r.ReadMessages());
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void A_candidate_that_hears_from_a_leader_of_its_term_or_newer_falls_back_to_follower(ulong term)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.Step(Hup(1));
        Assert.Equal(StateType.Candidate, r.State);

        r.Step(new Message { From = 2, To = 1, Term = term, MsgType = MessageType.MsgAppend });

        Assert.Equal(StateType.Follower, r.State);
        Assert.Equal(term, r.Term);
    }

    [Theory]
    [InlineData(StateType.Follower)]
    [InlineData(StateType.Candidate)]
    public void Election_timeouts_are_randomized_over_the_whole_range_from_et_to_2et(StateType state)
    {
        const int et = 10;
        var r = NewTestRaft(1, Ids(1, 2, 3), et, 1, new MemoryRaftStorage());
        var seen = new HashSet<int>();
        for (int round = 0; round < 50 * et; round++)
        {
            if (state == StateType.Follower)
            {
                r.BecomeFollower(r.Term + 1, 2);
            }
            else
            {
                r.BecomeCandidate();
            }

            int time = 0;
            while (r.ReadMessages().Count == 0)
            {
                r.Tick();
                time++;
            }

            seen.Add(time);
        }

        for (int d = et + 1; d < 2 * et; d++)
        {
            Assert.Contains(d, seen);
        }

        Assert.All(seen, t => Assert.InRange(t, et, 2 * et));
    }

    [Theory]
    [InlineData(StateType.Follower)]
    [InlineData(StateType.Candidate)]
    public void Randomized_timeouts_rarely_make_two_nodes_time_out_together(StateType state)
    {
        const int et = 10;
        const int size = 5;
        ulong[] ids = [1, 2, 3, 4, 5];
        var rs = ids.Select(id => NewTestRaft(id, ids, et, 1, new MemoryRaftStorage())).ToArray();
        int conflicts = 0;
        for (int round = 0; round < 1000; round++)
        {
            foreach (var r in rs)
            {
                if (state == StateType.Follower)
                {
                    r.BecomeFollower(r.Term + 1, RaftCore.None);
                }
                else
                {
                    r.BecomeCandidate();
                }
            }

            int timedOut = 0;
            while (timedOut == 0)
            {
                foreach (var r in rs)
                {
                    r.Tick();
                    if (r.ReadMessages().Count > 0)
                    {
                        timedOut++;
                    }
                }
            }

            if (timedOut > 1)
            {
                conflicts++;
            }
        }

        Assert.True(conflicts / 1000.0 <= 0.3, $"{conflicts} of 1000 rounds had simultaneous timeouts among {size} nodes");
    }

    internal static void MakeState(RaftCore r, StateType state)
    {
        switch (state)
        {
            case StateType.Follower:
                r.BecomeFollower(1, 2);
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
    }
}

using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using TinyKv.Raft.Tracker;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Scenarios;

/// <summary>Log replication and commit in whole clusters (Raft §5.3, §5.4.2).</summary>
public sealed class ReplicationScenarioTests
{
    [Fact]
    public void The_leaders_own_progress_tracks_its_last_index()
    {
        var r = NewTestRaft(1, Ids(1, 2), 5, 1, new MemoryRaftStorage());
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Tracker.Progress[2].BecomeReplicate();

        for (ulong i = 0; i < 5; i++)
        {
            var pr = r.Tracker.Progress[1];
            Assert.Equal((i + 1, i + 2, ProgressState.Replicate), (pr.Match, pr.Next, pr.State));
            r.Step(Propose(1, "foo"));
        }
    }

    [Fact]
    public void A_new_leader_overwrites_a_newer_but_uncommitted_entry_of_another_node()
    {
        var n = new Network(
            WithTerms(null, 1),
            WithTerms(null, 1),
            WithTerms(null, 2),
            VotedWith(null, 3, 2),
            VotedWith(null, 3, 2));

        // Node 1's first campaign fails: nodes 4 and 5 voted for 3 in term 2 and node 3's log is newer.
        n.Send(Hup(1));
        Assert.Equal((StateType.Follower, 2UL), (n.Raft(1).State, n.Raft(1).Term));

        n.Send(Hup(1));
        Assert.Equal((StateType.Leader, 3UL), (n.Raft(1).State, n.Raft(1).Term));

        foreach (ulong id in Ids(1, 2, 3, 4, 5))
        {
            Assert.Equal([E(1, 1), E(3, 2)], n.Raft(id).RaftLog.AllEntries());
        }
    }

    [Theory]
    [InlineData(false, 2UL)]
    [InlineData(true, 4UL)]
    public void Proposals_replicate_and_commit_on_every_node_in_order(bool changeLeader, ulong wantCommitted)
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        var proposals = new List<Message> { Propose(1, "somedata") };
        if (changeLeader)
        {
            proposals.Add(Hup(2));
            proposals.Add(Propose(2, "somedata"));
        }

        foreach (var m in proposals)
        {
            n.Send(m);
        }

        foreach (ulong id in Ids(1, 2, 3))
        {
            var r = n.Raft(id);
            Assert.Equal(wantCommitted, r.RaftLog.Committed);
            var applied = NextEnts(r, n.Storage[id]).Where(e => !e.Data.IsEmpty).Select(e => e.Data.ToStringUtf8());
            var proposed = proposals.Where(m => m.MsgType == MessageType.MsgPropose).Select(m => m.Entries[0].Data.ToStringUtf8());
            Assert.Equal(proposed, applied);
        }
    }

    [Fact]
    public void A_single_node_commits_its_proposals_at_once()
    {
        var n = new Network(new object?[] { null });
        n.Send(Hup(1));
        n.Send(Propose(1, "some data"));
        n.Send(Propose(1, "some data"));

        Assert.Equal(3UL, n.Raft(1).RaftLog.Committed);
    }

    [Fact]
    public void Entries_of_an_old_term_commit_through_an_entry_of_the_new_leaders_term()
    {
        var n = new Network(null, null, null, null, null);
        n.Send(Hup(1));
        n.Cut(1, 3);
        n.Cut(1, 4);
        n.Cut(1, 5);
        n.Send(Propose(1, "some data"));
        n.Send(Propose(1, "some data"));
        Assert.Equal(1UL, n.Raft(1).RaftLog.Committed);

        n.Recover();
        n.Send(Hup(2));

        Assert.Equal(4UL, n.Raft(1).RaftLog.Committed);
    }

    [Fact]
    public void A_heartbeat_response_from_a_lagging_follower_triggers_an_append_that_brings_its_commit_up()
    {
        var n = new Network(null, null, null, null, null);
        n.Send(Hup(1));
        n.Isolate(5);
        n.Send(Propose(1, "some data"));
        n.Send(Propose(1, "some data"));
        Assert.Equal(1UL, n.Raft(5).RaftLog.Committed);

        n.Recover();
        n.Send(Beat(1));

        Assert.Equal(3UL, n.Raft(5).RaftLog.Committed);
    }

    [Fact]
    public void A_stale_append_from_an_old_leader_is_ignored()
    {
        var n = new Network(null, null, null);
        n.Send(Hup(1));
        n.Send(Hup(2));
        n.Send(Hup(1));
        var stale = new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = 2 };
        stale.Entries.Add(E(2, 3));

        n.Send(stale);
        n.Send(Propose(1, "somedata"));

        string want = Ltoa(LogOf(4, 0, E(1, 1), E(2, 2), E(3, 3), E(3, 4, "somedata")));
        foreach (ulong id in Ids(1, 2, 3))
        {
            Assert.Equal(want, Ltoa(n.Raft(id).RaftLog));
        }
    }

    public static TheoryData<int, bool> ProposalNetworks => new()
    {
        // index into the network shapes of the election tests, whether a quorum is alive
        { 0, true },
        { 1, true },
        { 2, false },
        { 3, false },
        { 4, true },
    };

    [Theory]
    [MemberData(nameof(ProposalNetworks))]
    public void A_proposal_commits_only_with_a_quorum_and_a_candidate_drops_it(int shape, bool success)
    {
        var bh = BlackHole.Instance;
        object?[][] shapes =
        [
            [null, null, null],
            [null, null, bh],
            [null, bh, bh],
            [null, bh, bh, null],
            [null, bh, bh, null, null],
        ];
        var n = new Network(shapes[shape]);
        n.Send(Hup(1));

        var r1 = n.Raft(1);
        var result = r1.Step(Propose(1, "somedata"));
        n.Send();
        foreach (var m in r1.ReadMessages())
        {
            n.Send(m);
        }

        Assert.Equal(success ? StepResult.Ok : StepResult.ProposalDropped, result);
        string want = success ? Ltoa(LogOf(2, 0, E(1, 1), E(1, 2, "somedata"))) : Ltoa(LogOf(0, 0));
        foreach (var (id, peer) in n.Peers)
        {
            if (peer is RaftPeer p)
            {
                Assert.Equal(want, Ltoa(p.Raft.RaftLog));
            }
        }

        Assert.Equal(1UL, r1.Term);
    }

    [Theory]
    [InlineData(2UL, 3UL, 2UL, 3UL, new ulong[0], 2UL, 0UL, true)]
    [InlineData(2UL, 3UL, 3UL, 3UL, new ulong[0], 2UL, 0UL, true)]
    [InlineData(2UL, 1UL, 1UL, 1UL, new ulong[0], 2UL, 1UL, false)]
    [InlineData(2UL, 0UL, 0UL, 1UL, new ulong[] { 2 }, 1UL, 1UL, false)]
    [InlineData(2UL, 2UL, 2UL, 3UL, new ulong[] { 2, 2 }, 4UL, 3UL, false)]
    [InlineData(2UL, 2UL, 2UL, 4UL, new ulong[] { 2 }, 3UL, 3UL, false)]
    [InlineData(2UL, 1UL, 1UL, 4UL, new ulong[] { 2 }, 2UL, 2UL, false)]
    [InlineData(1UL, 1UL, 1UL, 3UL, new ulong[0], 2UL, 1UL, false)]
    [InlineData(1UL, 1UL, 1UL, 3UL, new ulong[] { 2 }, 2UL, 2UL, false)]
    [InlineData(2UL, 2UL, 2UL, 3UL, new ulong[0], 2UL, 2UL, false)]
    [InlineData(2UL, 2UL, 2UL, 4UL, new ulong[0], 2UL, 2UL, false)]
    public void AppendEntries_checks_the_previous_entry_truncates_conflicts_and_commits_up_to_the_last_new_entry(
        ulong term, ulong logTerm, ulong index, ulong commit, ulong[] entryTerms, ulong wantLastIndex, ulong wantCommit, bool wantReject)
    {
        var r = NewTestRaft(1, Ids(1), 10, 1, StorageWithTerms(1, 2));
        r.BecomeFollower(2, RaftCore.None);
        var m = new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = term, LogTerm = logTerm, Index = index, Commit = commit };
        m.Entries.AddRange(entryTerms.Select((t, i) => E(t, index + 1 + (ulong)i)));

        r.HandleAppendEntries(m);

        Assert.Equal(wantLastIndex, r.RaftLog.LastIndex());
        Assert.Equal(wantCommit, r.RaftLog.Committed);
        var resp = Assert.Single(r.ReadMessages());
        Assert.Equal(wantReject, resp.Reject);
    }

    [Theory]
    [InlineData(StateType.Follower, 0UL, 0UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 0UL, 1UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 0UL, 2UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 0UL, 3UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 1UL, 0UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 1UL, 1UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 1UL, 2UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 1UL, 3UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 2UL, 0UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 2UL, 1UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 2UL, 2UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 2UL, 3UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 3UL, 0UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 3UL, 1UL, RaftCore.None, true)]
    [InlineData(StateType.Follower, 3UL, 2UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 3UL, 3UL, RaftCore.None, false)]
    [InlineData(StateType.Follower, 3UL, 2UL, 2UL, false)]
    [InlineData(StateType.Follower, 3UL, 2UL, 1UL, true)]
    [InlineData(StateType.Leader, 3UL, 3UL, 1UL, true)]
    [InlineData(StateType.PreCandidate, 3UL, 3UL, 1UL, true)]
    [InlineData(StateType.Candidate, 3UL, 3UL, 1UL, true)]
    public void A_vote_is_granted_only_to_an_up_to_date_log_and_only_once_per_term(StateType state, ulong index, ulong logTerm, ulong voteFor, bool wantReject)
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, StorageWithTerms(2, 2));
        if (state == StateType.Follower)
        {
            r.BecomeFollower(1, RaftCore.None);
        }
        else
        {
            Paper.Section5_2_LeaderElectionTests.MakeState(r, state);
        }

        ulong term = Math.Max(r.RaftLog.LastTerm(), logTerm);
        r.Term = term;
        r.Vote = voteFor;
        r.ReadMessages();

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgRequestVote, Term = term, Index = index, LogTerm = logTerm });

        var resp = Assert.Single(r.ReadMessages());
        Assert.Equal(MessageType.MsgRequestVoteResponse, resp.MsgType);
        Assert.Equal(wantReject, resp.Reject);
    }

    [Theory]
    [InlineData(StateType.Follower, 0UL)]
    [InlineData(StateType.PreCandidate, 0UL)]
    [InlineData(StateType.Candidate, 0UL)]
    [InlineData(StateType.Leader, 1UL)]
    public void Every_state_steps_down_on_a_higher_term(StateType state, ulong wantIndex)
    {
        foreach (var type in new[] { MessageType.MsgRequestVote, MessageType.MsgAppend })
        {
            var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
            if (state == StateType.Follower)
            {
                r.BecomeFollower(1, RaftCore.None);
            }
            else
            {
                Paper.Section5_2_LeaderElectionTests.MakeState(r, state);
            }

            r.Step(new Message { From = 2, MsgType = type, Term = 3, LogTerm = 3 });

            Assert.Equal((StateType.Follower, 3UL), (r.State, r.Term));
            Assert.Equal(wantIndex, r.RaftLog.LastIndex());
            Assert.Equal((int)wantIndex, r.RaftLog.AllEntries().Count);
            Assert.Equal(type == MessageType.MsgRequestVote ? RaftCore.None : 2UL, r.Lead);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(5, 10)]
    public void A_heartbeat_never_advances_commit_past_what_the_follower_matched(int failCount, int successCount)
    {
        var rs = Ids(1, 2, 3).Select(id => NewTestRaft(id, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage())).ToArray();
        var n = new Network(rs[0], rs[1], rs[2]);
        n.Send(Hup(1));
        n.Isolate(1);
        for (int i = 0; i < failCount; i++)
        {
            n.Send(Propose(1, "fail"));
        }

        Assert.True(rs[0].RaftLog.Committed <= 1);
        n.Send(Hup(2));
        for (int i = 0; i < successCount; i++)
        {
            n.Send(Propose(2, "ok"));
        }

        ulong want = 2 + (ulong)successCount;
        Assert.Equal(want, rs[1].RaftLog.Committed);
        Assert.Equal(want, rs[2].RaftLog.Committed);

        n.Recover();
        n.Ignore(MessageType.MsgAppend);
        n.Send(Beat(2));

        Assert.True(rs[0].RaftLog.Committed <= 1, $"old leader committed {rs[0].RaftLog.Committed} from a heartbeat");
    }

    [Fact]
    public void A_leader_advances_next_as_it_replicates()
    {
        var r1 = NewTestRaft(1, Ids(1, 2, 3), 10, 1, StorageWithTerms(1, 1, 1));
        var n = new Network(r1, null, null);
        n.Send(Hup(1));
        n.Send(Propose(1, "somedata"));

        // 3 old entries + the no-op + the proposal, plus one.
        Assert.Equal(6UL, r1.Tracker.Progress[2].Next);
    }

    [Fact]
    public void A_follower_forwards_proposals_to_the_leader_and_drops_them_without_one()
    {
        var r = NewTestRaft(2, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        Assert.Equal(StepResult.ProposalDropped, r.Step(Propose(2, "x")));

        r.BecomeFollower(1, 1);
        Assert.Equal(StepResult.Ok, r.Step(Propose(2, "x")));

        var m = Assert.Single(r.ReadMessages());
        Assert.Equal((MessageType.MsgPropose, 1UL, 0UL), (m.MsgType, m.To, m.Term));
    }

    [Fact]
    public void Fast_backtracking_skips_a_whole_conflicting_term_per_round_trip()
    {
        // Leader log: terms 1 1 1 4 4 5 5 6 6 6; follower (figure 7 f): 1 1 1 2 2 2 3 3 3 3 3.
        var leadStorage = StorageWithTerms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
        leadStorage.SetHardState(new HardState { Term = 7, Commit = 3 });
        var lead = NewTestRaft(1, Ids(1, 2), 10, 1, leadStorage);
        var followerStorage = StorageWithTerms(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3);
        followerStorage.SetHardState(new HardState { Term = 7 });
        var follower = NewTestRaft(2, Ids(1, 2), 10, 1, followerStorage);
        lead.BecomeCandidate();
        lead.BecomeLeader();
        follower.BecomeFollower(8, 1);
        int rejections = 0;
        lead.BroadcastAppend();
        for (int round = 0; round < 20; round++)
        {
            var msgs = lead.ReadMessages();
            if (msgs.Count == 0)
            {
                break;
            }

            foreach (var m in msgs)
            {
                follower.Step(m);
            }

            foreach (var resp in follower.ReadMessages())
            {
                rejections += resp.Reject ? 1 : 0;
                lead.Step(resp);
            }
        }

        Assert.Equal(Ltoa(lead.RaftLog).Split('\n').Skip(2), Ltoa(follower.RaftLog).Split('\n').Skip(2));
        Assert.True(rejections <= 2, $"{rejections} rejections: backtracking should skip terms, not single entries");
    }
}

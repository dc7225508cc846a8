using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using TinyKv.Raft.Tests.Harness;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;
using static TinyKv.Raft.Tests.Paper.PaperTestUtil;

namespace TinyKv.Raft.Tests.Paper;

/// <summary>Raft §5.3: log replication, the consistency check, commit and conflict resolution.</summary>
public sealed class Section5_3_LogReplicationTests
{
    [Fact]
    public void A_leader_appends_a_proposal_and_sends_it_to_every_follower_without_committing_it()
    {
        var s = new MemoryRaftStorage();
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        CommitNoopEntry(r, s);
        ulong li = r.RaftLog.LastIndex();

        r.Step(Propose(1, "some data"));

        Assert.Equal(li + 1, r.RaftLog.LastIndex());
        Assert.Equal(li, r.RaftLog.Committed);
        var want = E(1, li + 1, "some data");
        Assert.Equal(
            [AppendMsg(1, 2, 1, li, 1, li, want), AppendMsg(1, 3, 1, li, 1, li, want)],
            Sorted(r.ReadMessages()).ToList());
        Assert.Equal([want], r.RaftLog.UnstableEntries());
    }

    [Fact]
    public void A_leader_commits_once_a_majority_acknowledges_and_broadcasts_the_new_commit()
    {
        var s = new MemoryRaftStorage();
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        CommitNoopEntry(r, s);
        ulong li = r.RaftLog.LastIndex();
        r.Step(Propose(1, "some data"));

        foreach (var m in r.ReadMessages())
        {
            r.Step(AcceptAndReply(m));
        }

        Assert.Equal(li + 1, r.RaftLog.Committed);
        Assert.Equal([E(1, li + 1, "some data")], NextEnts(r, s));
        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal([2UL, 3UL], msgs.Select(m => m.To));
        Assert.All(msgs, m =>
        {
            Assert.Equal(MessageType.MsgAppend, m.MsgType);
            Assert.Equal(li + 1, m.Commit);
        });
    }

    [Theory]
    [InlineData(1, "", true)]
    [InlineData(3, "", false)]
    [InlineData(3, "2", true)]
    [InlineData(3, "2 3", true)]
    [InlineData(5, "", false)]
    [InlineData(5, "2", false)]
    [InlineData(5, "2 3", true)]
    [InlineData(5, "2 3 4", true)]
    [InlineData(5, "2 3 4 5", true)]
    public void An_entry_commits_only_when_a_majority_including_the_leader_has_it(int size, string acceptors, bool committed)
    {
        var s = new MemoryRaftStorage();
        var r = NewTestRaft(1, [.. Enumerable.Range(1, size).Select(i => (ulong)i)], 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        CommitNoopEntry(r, s);
        ulong li = r.RaftLog.LastIndex();
        r.Step(Propose(1, "some data"));
        var accept = acceptors.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToHashSet();

        foreach (var m in r.ReadMessages())
        {
            if (accept.Contains(m.To))
            {
                r.Step(AcceptAndReply(m));
            }
        }

        Assert.Equal(committed, r.RaftLog.Committed > li);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("1 2")]
    [InlineData("1")]
    public void Committing_an_entry_of_the_current_term_commits_every_preceding_entry(string terms)
    {
        ulong[] ts = [.. terms.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse)];
        var s = StorageWithTerms(ts);
        s.SetHardState(new HardState { Term = 2 });
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.Step(Propose(1, "some data"));

        foreach (var m in r.ReadMessages())
        {
            r.Step(AcceptAndReply(m));
        }

        ulong li = (ulong)ts.Length;
        List<Entry> want = [.. ts.Select((t, i) => E(t, (ulong)i + 1)), E(3, li + 1), E(3, li + 2, "some data")];
        Assert.Equal(want, NextEnts(r, s));
    }

    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(2, 2UL)]
    [InlineData(2, 1UL)]
    public void A_follower_commits_what_the_leader_says_is_committed(int count, ulong commit)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        r.BecomeFollower(1, 2);
        var ents = Enumerable.Range(1, count).Select(i => E(1, (ulong)i, $"some data{i}")).ToArray();
        var m = new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = 1, Commit = commit };
        m.Entries.AddRange(ents);

        r.Step(m);

        Assert.Equal(commit, r.RaftLog.Committed);
        Assert.Equal(ents.Take((int)commit), r.RaftLog.NextEntries());
    }

    [Theory]
    [InlineData(0UL, 0UL, 1UL, false, 0UL, 0UL)]
    [InlineData(1UL, 1UL, 1UL, false, 0UL, 0UL)]
    [InlineData(2UL, 2UL, 2UL, false, 0UL, 0UL)]
    [InlineData(1UL, 2UL, 2UL, true, 1UL, 1UL)]
    [InlineData(3UL, 3UL, 3UL, true, 2UL, 2UL)]
    public void A_follower_rejects_an_append_whose_previous_entry_it_does_not_have(
        ulong logTerm, ulong index, ulong wantIndex, bool wantReject, ulong wantHint, ulong wantLogTerm)
    {
        var s = StorageWithTerms(1, 2);
        s.SetHardState(new HardState { Commit = 1 });
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, s);
        r.BecomeFollower(2, 2);

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = 2, LogTerm = logTerm, Index = index });

        Assert.Equal(
            [new Message { From = 1, To = 2, MsgType = MessageType.MsgAppendResponse, Term = 2, Index = wantIndex, Reject = wantReject, RejectHint = wantHint, LogTerm = wantLogTerm }],
            r.ReadMessages());
    }

    public static TheoryData<ulong, ulong, string, string, string> FollowerAppendCases => new()
    {
        // prev index, prev term, entries (term@index), whole log, unstable part
        { 2, 2, "3@3", "1@1 2@2 3@3", "3@3" },
        { 1, 1, "3@2 4@3", "1@1 3@2 4@3", "3@2 4@3" },
        { 0, 0, "1@1", "1@1 2@2", "" },
        { 0, 0, "3@1", "3@1", "3@1" },
    };

    [Theory]
    [MemberData(nameof(FollowerAppendCases))]
    public void A_follower_deletes_a_conflicting_suffix_and_appends_new_entries(ulong index, ulong term, string ents, string wantAll, string wantUnstable)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, StorageWithTerms(1, 2));
        r.BecomeFollower(2, 2);
        var m = new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = 2, LogTerm = term, Index = index };
        m.Entries.AddRange(ParseEntries(ents));

        r.Step(m);

        Assert.Equal(ParseEntries(wantAll), r.RaftLog.AllEntries());
        Assert.Equal(ParseEntries(wantUnstable), r.RaftLog.UnstableEntries());
    }

    public static TheoryData<string> Figure7Followers => new()
    {
        "1 1 1 4 4 5 5 6 6",
        "1 1 1 4",
        "1 1 1 4 4 5 5 6 6 6 6",
        "1 1 1 4 4 5 5 6 6 6 7 7",
        "1 1 1 4 4 4 4",
        "1 1 1 2 2 2 3 3 3 3 3",
    };

    [Theory]
    [MemberData(nameof(Figure7Followers))]
    public void A_leader_brings_every_follower_log_of_figure_7_in_line_with_its_own(string followerTerms)
    {
        ulong[] leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
        const ulong term = 8;
        var leadStorage = StorageWithTerms(leaderTerms);
        leadStorage.SetHardState(new HardState { Commit = (ulong)leaderTerms.Length, Term = term });
        var lead = NewTestRaft(1, Ids(1, 2, 3), 10, 1, leadStorage);
        var followerStorage = StorageWithTerms([.. followerTerms.Split(' ').Select(ulong.Parse)]);
        followerStorage.SetHardState(new HardState { Term = term - 1 });
        var follower = NewTestRaft(2, Ids(1, 2, 3), 10, 1, followerStorage);
        // The follower's log may be more up to date, so the leader needs the third node's vote.
        var n = new Network(lead, follower, BlackHole.Instance);

        n.Send(Hup(1));
        n.Send(new Message { From = 3, To = 1, MsgType = MessageType.MsgRequestVoteResponse, Term = term + 1 });
        n.Send(Propose(1, ""));

        Assert.Equal(StateType.Leader, lead.State);
        Assert.Equal(Ltoa(lead.RaftLog), Ltoa(follower.RaftLog));
    }

    internal static Message AppendMsg(ulong from, ulong to, ulong term, ulong index, ulong logTerm, ulong commit, params Entry[] ents)
    {
        var m = new Message { From = from, To = to, Term = term, MsgType = MessageType.MsgAppend, Index = index, LogTerm = logTerm, Commit = commit };
        m.Entries.AddRange(ents);
        return m;
    }

    /// <summary>Parses "term@index ..." into entries.</summary>
    internal static List<Entry> ParseEntries(string s) =>
        [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t =>
        {
            var parts = t.Split('@');
            return new Entry { Term = ulong.Parse(parts[0]), Index = ulong.Parse(parts[1]), Data = ByteString.Empty };
        })];
}

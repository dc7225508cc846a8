using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;
using static TinyKv.Raft.Tests.Paper.Section5_3_LogReplicationTests;

namespace TinyKv.Raft.Tests.Paper;

/// <summary>Raft §5.4: the election restriction and committing entries from previous terms.</summary>
public sealed class Section5_4_SafetyTests
{
    [Theory]
    [InlineData("1@1", 2UL)]
    [InlineData("1@1 2@2", 3UL)]
    public void A_vote_request_carries_the_candidates_last_index_and_term(string ents, ulong wantTerm)
    {
        var r = NewTestRaft(1, Ids(1, 2, 3), 10, 1, new MemoryRaftStorage());
        var entries = ParseEntries(ents);
        var m = new Message { From = 2, To = 1, MsgType = MessageType.MsgAppend, Term = wantTerm - 1 };
        m.Entries.AddRange(entries);
        r.Step(m);
        r.ReadMessages();

        for (int i = 1; i < r.ElectionTimeout * 2; i++)
        {
            r.Tick();
        }

        var msgs = Sorted(r.ReadMessages()).ToList();
        Assert.Equal([2UL, 3UL], msgs.Select(x => x.To));
        Assert.All(msgs, x =>
        {
            Assert.Equal(MessageType.MsgRequestVote, x.MsgType);
            Assert.Equal(wantTerm, x.Term);
            Assert.Equal(entries[^1].Index, x.Index);
            Assert.Equal(entries[^1].Term, x.LogTerm);
        });
    }

    [Theory]
    [InlineData("1", 1UL, 1UL, false)]
    [InlineData("1", 1UL, 2UL, false)]
    [InlineData("1 1", 1UL, 1UL, true)]
    [InlineData("1", 2UL, 1UL, false)]
    [InlineData("1", 2UL, 2UL, false)]
    [InlineData("1 1", 2UL, 1UL, false)]
    [InlineData("2", 1UL, 1UL, true)]
    [InlineData("2", 1UL, 2UL, true)]
    [InlineData("2 1", 1UL, 1UL, true)]
    public void A_voter_grants_only_to_a_candidate_whose_log_is_at_least_as_up_to_date(string terms, ulong logTerm, ulong index, bool reject)
    {
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, StorageWithTerms([.. terms.Split(' ').Select(ulong.Parse)]));

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgRequestVote, Term = 3, LogTerm = logTerm, Index = index });

        var m = Assert.Single(r.ReadMessages());
        Assert.Equal(MessageType.MsgRequestVoteResponse, m.MsgType);
        Assert.Equal(reject, m.Reject);
    }

    [Theory]
    [InlineData(1UL, 0UL)]
    [InlineData(2UL, 0UL)]
    [InlineData(3UL, 3UL)]
    public void A_leader_never_commits_an_old_term_entry_by_counting_replicas(ulong ackIndex, ulong wantCommit)
    {
        var s = StorageWithTerms(1, 2);
        s.SetHardState(new HardState { Term = 2 });
        var r = NewTestRaft(1, Ids(1, 2), 10, 1, s);
        r.BecomeCandidate();
        r.BecomeLeader();
        r.ReadMessages();
        r.Step(Propose(1, ""));

        r.Step(new Message { From = 2, To = 1, MsgType = MessageType.MsgAppendResponse, Term = r.Term, Index = ackIndex });

        Assert.Equal(wantCommit, r.RaftLog.Committed);
    }
}

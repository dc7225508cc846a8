using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Log;
using TinyKv.Raft.Storage;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Units;

/// <summary>RaftLog: conflicts, appends, commit, and the stable/unstable split.</summary>
public sealed class RaftLogTests
{
    private static RaftLog LogWithTerms(params ulong[] terms)
    {
        var l = new RaftLog(new MemoryRaftStorage());
        l.Append([.. terms.Select((t, i) => E(t, (ulong)i + 1))]);
        return l;
    }

    [Theory]
    [InlineData("", 0UL)]
    [InlineData("1@1 2@2 3@3", 0UL)]
    [InlineData("2@2 3@3", 0UL)]
    [InlineData("3@3", 0UL)]
    [InlineData("1@1 2@2 3@3 4@4 5@4", 4UL)]
    [InlineData("4@4 5@4", 4UL)]
    [InlineData("1@4 2@4", 1UL)]
    [InlineData("2@1 3@4 4@4", 2UL)]
    [InlineData("3@1 4@2 5@4 6@4", 3UL)]
    public void FindConflict_returns_the_first_new_or_conflicting_index(string ents, ulong want)
    {
        var l = LogWithTerms(1, 2, 3);

        Assert.Equal(want, l.FindConflict(Parse(ents)));
    }

    [Theory]
    [InlineData(3UL, 3UL, 3UL, "", true, 3UL, 3UL)]
    [InlineData(3UL, 3UL, 3UL, "4@4", true, 4UL, 3UL)]
    [InlineData(3UL, 2UL, 3UL, "", false, 0UL, 1UL)]
    [InlineData(4UL, 3UL, 3UL, "", false, 0UL, 1UL)]
    [InlineData(2UL, 2UL, 4UL, "3@4", true, 3UL, 3UL)]
    [InlineData(3UL, 3UL, 5UL, "4@4 5@4", true, 5UL, 5UL)]
    public void MaybeAppend_appends_only_after_a_matching_entry_and_commits_at_most_the_last_new_index(
        ulong index, ulong logTerm, ulong commit, string ents, bool wantOk, ulong wantLast, ulong wantCommit)
    {
        var l = LogWithTerms(1, 2, 3);
        l.CommitTo(1);

        bool ok = l.MaybeAppend(index, logTerm, commit, Parse(ents), out ulong last);

        Assert.Equal(wantOk, ok);
        Assert.Equal(wantLast, last);
        Assert.Equal(wantCommit, l.Committed);
    }

    [Fact]
    public void A_conflict_with_a_committed_entry_breaks_an_invariant()
    {
        var l = LogWithTerms(1, 2, 3);
        l.CommitTo(2);

        var ex = Assert.Throws<RaftInvariantException>(() => l.MaybeAppend(1, 1, 3, Parse("2@4"), out _));

        Assert.Equal("committed-entries-never-overwritten", ex.Invariant);
    }

    [Fact]
    public void Committing_past_the_last_index_breaks_an_invariant()
    {
        var l = LogWithTerms(1);

        var ex = Assert.Throws<RaftInvariantException>(() => l.CommitTo(5));

        Assert.Equal("commit-within-log", ex.Invariant);
    }

    [Theory]
    [InlineData(3UL, 3UL, true)]
    [InlineData(2UL, 3UL, false)]
    [InlineData(4UL, 3UL, true)]
    [InlineData(1UL, 4UL, true)]
    [InlineData(9UL, 2UL, false)]
    public void IsUpToDate_compares_last_term_then_length(ulong lastIndex, ulong term, bool want)
    {
        Assert.Equal(want, LogWithTerms(1, 2, 3).IsUpToDate(lastIndex, term));
    }

    [Fact]
    public void Stable_entries_leave_the_unstable_part_and_stay_readable()
    {
        var s = new MemoryRaftStorage();
        var l = new RaftLog(s);
        l.Append(Parse("1@1 2@1"));
        s.Append(l.UnstableEntries());

        l.StableTo(2, 1);

        Assert.Empty(l.UnstableEntries());
        Assert.Equal(3UL, l.Unstable.Offset);
        Assert.Equal(2, l.AllEntries().Count);
    }

    [Fact]
    public void StableTo_with_a_replaced_term_keeps_the_entries_unstable()
    {
        var l = LogWithTerms(1, 1);

        l.StableTo(2, 5);

        Assert.Equal(2, l.UnstableEntries().Count);
    }

    [Fact]
    public void Next_entries_are_committed_and_not_applied()
    {
        var l = LogWithTerms(1, 1, 1);
        l.CommitTo(2);
        Assert.Equal([1UL, 2UL], l.NextEntries().Select(e => e.Index));

        l.AppliedTo(1);

        Assert.Equal([2UL], l.NextEntries().Select(e => e.Index));
        Assert.Throws<RaftInvariantException>(() => l.AppliedTo(3));
    }

    [Fact]
    public void Terms_below_the_compaction_point_are_zero_and_their_entries_compacted()
    {
        var s = StorageWithTerms(1, 1, 2, 2);
        s.Compact(2);
        var l = new RaftLog(s);

        // As in etcd/raft: below the dummy entry the term is 0 without an error.
        Assert.Equal(StorageError.None, l.TryTerm(1, out ulong t1));
        Assert.Equal(0UL, t1);
        Assert.Equal(StorageError.None, l.TryTerm(2, out ulong t2));
        Assert.Equal(1UL, t2);
        Assert.Equal(0UL, l.ZeroTermOnCompacted(1));
        Assert.Equal(StorageError.Compacted, l.Slice(1, 3, ulong.MaxValue, []));
    }

    [Fact]
    public void FindConflictByTerm_skips_every_entry_of_a_higher_term()
    {
        var l = LogWithTerms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);

        Assert.Equal(7UL, l.FindConflictByTerm(10, 5));
        Assert.Equal(3UL, l.FindConflictByTerm(10, 3));
        Assert.Equal(0UL, l.FindConflictByTerm(10, 0));
        Assert.Equal(12UL, l.FindConflictByTerm(12, 6));
    }

    private static List<Entry> Parse(string s) =>
        [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split('@')).Select(p => E(ulong.Parse(p[1]), ulong.Parse(p[0])))];
}

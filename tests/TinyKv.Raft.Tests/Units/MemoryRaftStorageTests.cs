using Google.Protobuf;
using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Storage;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Units;

/// <summary>The MemoryRaftStorage contract: dummy entry at the offset, documented errors, truncation on conflict.</summary>
public sealed class MemoryRaftStorageTests
{
    /// <summary>Entries 3@3 (the dummy), 4@4, 5@5, [6@6].</summary>
    private static MemoryRaftStorage Storage(int last = 5) =>
        StorageWithEntries([.. Enumerable.Range(3, last - 2).Select(i => E((ulong)i, (ulong)i))]);

    [Theory]
    [InlineData(2UL, StorageError.Compacted, 0UL)]
    [InlineData(3UL, StorageError.None, 3UL)]
    [InlineData(4UL, StorageError.None, 4UL)]
    [InlineData(5UL, StorageError.None, 5UL)]
    [InlineData(6UL, StorageError.Unavailable, 0UL)]
    public void Term_answers_from_the_dummy_to_the_last_entry(ulong index, StorageError wantErr, ulong wantTerm)
    {
        var s = Storage();

        Assert.Equal(wantErr, s.Term(index, out ulong term));
        Assert.Equal(wantTerm, term);
    }

    [Theory]
    [InlineData(2UL, 6UL, ulong.MaxValue, StorageError.Compacted, "")]
    [InlineData(3UL, 4UL, ulong.MaxValue, StorageError.Compacted, "")]
    [InlineData(4UL, 5UL, ulong.MaxValue, StorageError.None, "4")]
    [InlineData(4UL, 6UL, ulong.MaxValue, StorageError.None, "4 5")]
    [InlineData(4UL, 7UL, ulong.MaxValue, StorageError.None, "4 5 6")]
    [InlineData(4UL, 7UL, 0UL, StorageError.None, "4")]
    [InlineData(4UL, 8UL, ulong.MaxValue, StorageError.Unavailable, "")]
    public void Entries_returns_the_range_within_the_byte_budget_but_at_least_one(ulong lo, ulong hi, ulong maxSize, StorageError wantErr, string want)
    {
        var s = Storage(6);
        var into = new List<Entry>();

        Assert.Equal(wantErr, s.Entries(lo, hi, maxSize, into));
        Assert.Equal(want, string.Join(" ", into.Select(e => e.Index)));
    }

    [Fact]
    public void Entries_stops_at_the_byte_budget()
    {
        var s = Storage(6);
        int one = E(4, 4).CalculateSize();
        var into = new List<Entry>();

        s.Entries(4, 7, (ulong)(2 * one), into);
        Assert.Equal(2, into.Count);

        into.Clear();
        s.Entries(4, 7, (ulong)(3 * one) - 1, into);
        Assert.Equal(2, into.Count);

        into.Clear();
        s.Entries(4, 7, (ulong)(3 * one), into);
        Assert.Equal(3, into.Count);
    }

    [Fact]
    public void First_and_last_index_follow_compaction()
    {
        var s = Storage();
        Assert.Equal((4UL, 5UL), (s.FirstIndex(), s.LastIndex()));

        Assert.Equal(StorageError.None, s.Compact(4));

        Assert.Equal((5UL, 5UL), (s.FirstIndex(), s.LastIndex()));
    }

    [Theory]
    [InlineData(2UL, StorageError.Compacted, 3UL, 3)]
    [InlineData(3UL, StorageError.Compacted, 3UL, 3)]
    [InlineData(4UL, StorageError.None, 4UL, 2)]
    [InlineData(5UL, StorageError.None, 5UL, 1)]
    public void Compact_keeps_the_compaction_point_as_the_dummy(ulong index, StorageError wantErr, ulong wantDummy, int wantCount)
    {
        var s = Storage();

        Assert.Equal(wantErr, s.Compact(index));

        var all = s.AllEntriesWithDummy();
        Assert.Equal((wantDummy, wantDummy), (all[0].Index, all[0].Term));
        Assert.Equal(wantCount, all.Count);
    }

    [Fact]
    public void Compact_past_the_last_entry_is_rejected_and_changes_nothing()
    {
        var s = Storage();

        Assert.Throws<ArgumentOutOfRangeException>(() => s.Compact(6));
        Assert.Equal(3, s.AllEntriesWithDummy().Count);
    }

    [Theory]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void CreateSnapshot_records_the_index_term_configuration_and_data(ulong index)
    {
        var s = Storage();
        var cs = new ConfState { Voters = { 1, 2, 3 } };

        Assert.Equal(StorageError.None, s.CreateSnapshot(index, cs, "data"u8, out var snap));

        Assert.Equal((index, index), (snap.Metadata.Index, snap.Metadata.Term));
        Assert.Equal(cs, snap.Metadata.ConfState);
        Assert.Equal("data", snap.Data.ToStringUtf8());
        Assert.Equal(StorageError.SnapshotOutOfDate, s.CreateSnapshot(index, cs, default, out _));
    }

    public static TheoryData<string, string> AppendCases => new()
    {
        // appended (index@term), resulting log (index@term, dummy first)
        { "3@3 4@4 5@5", "3@3 4@4 5@5" },
        { "3@3 4@6 5@6", "3@3 4@6 5@6" },
        { "3@3 4@4 5@5 6@5", "3@3 4@4 5@5 6@5" },
        { "2@3 3@3 4@5", "3@3 4@5" },
        { "4@5", "3@3 4@5" },
        { "6@5", "3@3 4@4 5@5 6@5" },
    };

    [Theory]
    [MemberData(nameof(AppendCases))]
    public void Append_truncates_a_conflicting_suffix_and_skips_compacted_entries(string appended, string want)
    {
        var s = Storage();

        s.Append(Parse(appended));

        Assert.Equal(want, string.Join(" ", s.AllEntriesWithDummy().Select(e => $"{e.Index}@{e.Term}")));
    }

    [Fact]
    public void Append_with_a_gap_is_rejected_and_changes_nothing()
    {
        var s = Storage();

        Assert.Throws<ArgumentException>(() => s.Append(Parse("7@5")));
        Assert.Equal(5UL, s.LastIndex());
    }

    [Fact]
    public void ApplySnapshot_replaces_the_log_and_refuses_an_older_snapshot()
    {
        var s = new MemoryRaftStorage();
        var cs = new ConfState { Voters = { 1, 2, 3 } };
        var snap = new Snapshot { Data = ByteString.CopyFromUtf8("d"), Metadata = new SnapshotMetadata { Index = 4, Term = 4, ConfState = cs } };

        Assert.Equal(StorageError.None, s.ApplySnapshot(snap));
        Assert.Equal((5UL, 4UL), (s.FirstIndex(), s.LastIndex()));
        Assert.Equal(cs, s.InitialState().ConfState);

        var older = new Snapshot { Metadata = new SnapshotMetadata { Index = 3, Term = 3, ConfState = cs } };
        Assert.Equal(StorageError.SnapshotOutOfDate, s.ApplySnapshot(older));
    }

    private static List<Entry> Parse(string s) =>
        [.. s.Split(' ').Select(t => t.Split('@')).Select(p => E(ulong.Parse(p[1]), ulong.Parse(p[0])))];
}

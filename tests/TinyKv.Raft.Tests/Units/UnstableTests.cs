using TinyKv.Raft.Eraftpb;
using TinyKv.Raft.Log;
using static TinyKv.Raft.Tests.Harness.RaftTestUtil;

namespace TinyKv.Raft.Tests.Units;

/// <summary>The unstable part of the log: entries and a snapshot not yet persisted.</summary>
public sealed class UnstableTests
{
    private static Snapshot Snap(ulong index, ulong term) => new() { Metadata = new SnapshotMetadata { Index = index, Term = term, ConfState = new ConfState() } };

    private static Unstable With(ulong offset, Snapshot? snap, params Entry[] ents)
    {
        var u = new Unstable(offset);
        if (snap is not null)
        {
            u.Restore(snap);
        }

        if (ents.Length > 0)
        {
            u.TruncateAndAppend(ents, 0);
        }

        return u;
    }

    [Fact]
    public void First_and_last_index_come_from_the_snapshot_and_the_entries()
    {
        Assert.False(With(5, null, E(1, 5)).TryFirstIndex(out _));
        Assert.True(With(5, Snap(4, 1), E(1, 5)).TryFirstIndex(out ulong first));
        Assert.Equal(5UL, first);

        Assert.True(With(5, null, E(1, 5)).TryLastIndex(out ulong last));
        Assert.Equal(5UL, last);
        Assert.True(With(5, Snap(4, 1)).TryLastIndex(out last));
        Assert.Equal(4UL, last);
        Assert.False(With(0, null).TryLastIndex(out _));
    }

    [Theory]
    [InlineData(5UL, true, 1UL)]
    [InlineData(6UL, false, 0UL)]
    [InlineData(4UL, true, 1UL)]
    [InlineData(3UL, false, 0UL)]
    public void Term_is_known_for_the_entries_and_the_snapshot_index(ulong index, bool ok, ulong term)
    {
        var u = With(5, Snap(4, 1), E(1, 5));

        Assert.Equal(ok, u.TryTerm(index, out ulong t));
        Assert.Equal(term, t);
    }

    [Theory]
    [InlineData(5UL, 1UL, 6UL, 0)]
    [InlineData(5UL, 2UL, 5UL, 1)]
    [InlineData(4UL, 1UL, 5UL, 1)]
    [InlineData(6UL, 1UL, 5UL, 1)]
    public void StableTo_drops_entries_only_when_index_and_term_match(ulong index, ulong term, ulong wantOffset, int wantCount)
    {
        var u = With(5, null, E(1, 5));

        u.StableTo(index, term);

        Assert.Equal((wantOffset, wantCount), (u.Offset, u.Entries.Count));
    }

    public static TheoryData<string, string, ulong> TruncateCases => new()
    {
        // existing entries from offset 5, appended, expected (term@index) and offset
        { "1@5", "1@6 1@7", 5 },
        { "1@5", "2@5 2@6", 5 },
        { "1@5", "2@4 2@5 2@6", 4 },
        { "1@5 1@6 1@7", "2@6", 5 },
        { "1@5 1@6 1@7", "2@7 2@8", 5 },
    };

    [Theory]
    [MemberData(nameof(TruncateCases))]
    public void TruncateAndAppend_replaces_whatever_the_new_entries_overwrite(string existing, string appended, ulong wantOffset)
    {
        var u = With(5, null, [.. Parse(existing)]);
        var app = Parse(appended);

        u.TruncateAndAppend(app, 0);

        Assert.Equal(wantOffset, u.Offset);
        var want = Parse(existing).Where(e => e.Index < app[0].Index).Concat(app);
        Assert.Equal(want, u.Entries);
    }

    [Fact]
    public void Restore_makes_the_snapshot_pending_and_empties_the_entries()
    {
        var u = With(5, null, E(1, 5));

        u.Restore(Snap(6, 2));

        Assert.Equal(7UL, u.Offset);
        Assert.Empty(u.Entries);
        Assert.Equal(6UL, u.Snapshot!.Metadata.Index);
        u.StableSnapTo(6);
        Assert.Null(u.Snapshot);
    }

    private static List<Entry> Parse(string s) =>
        [.. s.Split(' ').Select(t => t.Split('@')).Select(p => E(ulong.Parse(p[0]), ulong.Parse(p[1])))];
}

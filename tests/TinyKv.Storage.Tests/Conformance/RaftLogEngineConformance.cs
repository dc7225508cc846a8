using TinyKv.TestKit;

namespace TinyKv.Storage.Tests.Conformance;

/// <summary>The contract of <see cref="IRaftLogEngine"/>, run against every engine.</summary>
public abstract class RaftLogEngineConformance : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    protected abstract IRaftLogEngine CreateEngine();

    protected IRaftLogEngine NewEngine()
    {
        var engine = CreateEngine();
        _owned.Add(engine);
        return engine;
    }

    public virtual void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected static RaftEntry[] Entries(ulong from, ulong to, ulong term, int size = 8) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new RaftEntry((ulong)i, term, Payload((ulong)i, term, size)))];

    protected static byte[] Payload(ulong index, ulong term, int size)
    {
        var data = new byte[size];
        new Random((int)(index * 31 + term)).NextBytes(data);
        return data;
    }

    [Fact]
    public async Task Appended_entries_read_back_with_bounds_and_terms()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new RaftLogBatch { Sync = true }.Append(1, Entries(1, 5, 1)));

        Assert.Equal(1UL, engine.FirstIndex(1));
        Assert.Equal(5UL, engine.LastIndex(1));
        Assert.Equal(1UL, engine.Term(1, 3));
        Assert.Null(engine.Term(1, 6));
        Assert.Null(engine.Term(1, 0));
        Assert.Equal(Payload(4, 1, 8), engine.GetEntry(1, 4)!.Value.Data);
        Assert.Null(engine.GetEntry(1, 6));
    }

    [Fact]
    public void An_unknown_region_is_empty()
    {
        var engine = NewEngine();

        Assert.Equal(1UL, engine.FirstIndex(42));
        Assert.Equal(0UL, engine.LastIndex(42));
        Assert.Null(engine.GetState(42));
        Assert.Null(engine.GetEntry(42, 1));
        Assert.Empty(engine.Regions());
    }

    [Theory]
    [InlineData(3UL, 3UL, 3UL, 2UL)]
    [InlineData(1UL, 2UL, 2UL, 2UL)]
    [InlineData(6UL, 8UL, 8UL, 2UL)]
    [InlineData(5UL, 5UL, 5UL, 3UL)]
    public async Task A_conflicting_append_overwrites_the_suffix(ulong from, ulong to, ulong expectedLast, ulong newTerm)
    {
        var engine = NewEngine();
        await engine.WriteAsync(new RaftLogBatch().Append(7, Entries(1, 5, 1)));
        await engine.WriteAsync(new RaftLogBatch().Append(7, Entries(from, to, newTerm)));

        Assert.Equal(expectedLast, engine.LastIndex(7));
        for (ulong i = 1; i <= expectedLast; i++)
        {
            ulong expectedTerm = i >= from ? newTerm : 1;
            Assert.Equal(expectedTerm, engine.Term(7, i));
            Assert.Equal(Payload(i, expectedTerm, 8), engine.GetEntry(7, i)!.Value.Data);
        }
    }

    [Fact]
    public async Task Rule_breaking_batches_are_rejected_whole()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new RaftLogBatch().Append(1, Entries(1, 5, 1)).Compact(1, 3));

        var gap = new RaftLogBatch().Append(2, Entries(1, 2, 1)).Append(1, Entries(7, 8, 1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await engine.WriteAsync(gap));
        var intoCompacted = new RaftLogBatch().SetState(1, new RaftState(9, 9, 9)).Append(1, Entries(2, 3, 2));
        await Assert.ThrowsAsync<ArgumentException>(async () => await engine.WriteAsync(intoCompacted));

        Assert.Equal(0UL, engine.LastIndex(2));
        Assert.Null(engine.GetState(1));
        Assert.Equal(5UL, engine.LastIndex(1));
        await engine.WriteAsync(new RaftLogBatch().Append(1, Entries(6, 6, 1)));
        Assert.Equal(6UL, engine.LastIndex(1));
    }

    [Fact]
    public void Malformed_appends_are_refused_by_the_batch()
    {
        var batch = new RaftLogBatch();
        Assert.Throws<ArgumentException>(() => batch.Append(1, []));
        Assert.Throws<ArgumentException>(() => batch.Append(1, [new RaftEntry(1, 1, []), new RaftEntry(3, 1, [])]));
        Assert.Throws<ArgumentException>(() => batch.Append(1, [new RaftEntry(0, 1, [])]));
        Assert.True(batch.IsEmpty);
    }

    public static TheoryData<ulong, ulong, long, RaftLogFetch, int> Fetches => new()
    {
        // low, high, maxBytes, outcome, entries returned (each entry counts 8 + 16 bytes)
        { 3, 8, long.MaxValue, RaftLogFetch.Ok, 5 },
        { 3, 8, 48, RaftLogFetch.Ok, 2 },
        { 3, 8, 47, RaftLogFetch.Ok, 1 },
        { 3, 8, 0, RaftLogFetch.Ok, 1 },
        { 5, 5, 100, RaftLogFetch.Ok, 0 },
        { 2, 5, 100, RaftLogFetch.Compacted, 0 },
        { 8, 12, 100, RaftLogFetch.Unavailable, 0 },
        { 10, 11, 100, RaftLogFetch.Ok, 1 },
        { 11, 12, 100, RaftLogFetch.Unavailable, 0 },
    };

    [Theory]
    [MemberData(nameof(Fetches))]
    public async Task Fetch_respects_the_byte_budget_and_reports_gaps(ulong low, ulong high, long maxBytes, RaftLogFetch outcome, int count)
    {
        var engine = NewEngine();
        await engine.WriteAsync(new RaftLogBatch().Append(3, Entries(1, 10, 2)).Compact(3, 3));

        var into = new List<RaftEntry>();
        Assert.Equal(outcome, engine.FetchEntries(3, low, high, maxBytes, into));
        Assert.Equal(count, into.Count);
        Assert.Equal(Enumerable.Range((int)low, count).Select(i => (ulong)i), into.Select(e => e.Index));
    }

    [Fact]
    public async Task Compaction_drops_a_prefix_and_past_the_end_empties_the_log()
    {
        var engine = NewEngine();
        await engine.WriteAsync(new RaftLogBatch().Append(5, Entries(1, 10, 1)));
        await engine.WriteAsync(new RaftLogBatch().Compact(5, 4).Compact(5, 2));

        Assert.Equal(4UL, engine.FirstIndex(5));
        Assert.Null(engine.GetEntry(5, 3));
        Assert.Equal(1UL, engine.Term(5, 4));

        await engine.WriteAsync(new RaftLogBatch().Compact(5, 20));
        Assert.Equal(20UL, engine.FirstIndex(5));
        Assert.Equal(19UL, engine.LastIndex(5));

        await engine.WriteAsync(new RaftLogBatch().Append(5, Entries(31, 32, 4)));
        Assert.Equal(31UL, engine.FirstIndex(5));
        Assert.Equal(32UL, engine.LastIndex(5));
    }

    [Fact]
    public async Task One_batch_carries_many_regions_with_state_and_clean()
    {
        var engine = NewEngine();
        var batch = new RaftLogBatch { Sync = true };
        for (ulong region = 1; region <= 64; region++)
        {
            batch.Append(region, Entries(1, 3, region)).SetState(region, new RaftState(region, region % 3, 2));
        }

        await engine.WriteAsync(batch);
        await engine.WriteAsync(new RaftLogBatch().Clean(10).SetState(11, new RaftState(99, 1, 3)));

        Assert.Equal(63, engine.Regions().Count);
        Assert.DoesNotContain(10UL, engine.Regions());
        Assert.Equal(0UL, engine.LastIndex(10));
        Assert.Equal(new RaftState(99, 1, 3), engine.GetState(11));
        Assert.Equal(new RaftState(64, 1, 2), engine.GetState(64));
        Assert.Equal(64UL, engine.Term(64, 3));
    }

    [Fact]
    public async Task Use_after_dispose_throws_ObjectDisposedException()
    {
        var engine = CreateEngine();
        await engine.WriteAsync(new RaftLogBatch().Append(1, Entries(1, 1, 1)));
        engine.Dispose();
        engine.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await engine.WriteAsync(new RaftLogBatch()));
        Assert.Throws<ObjectDisposedException>(() => engine.GetEntry(1, 1));
        Assert.Throws<ObjectDisposedException>(() => engine.LastIndex(1));
    }

    /// <summary>
    /// Writes issued without waiting for the previous one are validated in order, each against the
    /// state its predecessors leave (a writer thread groups them; a later batch of a group must see
    /// the earlier ones), and a rejected batch leaves no trace for the batches after it.
    /// </summary>
    [Fact]
    public async Task Writes_in_flight_together_validate_against_their_predecessors()
    {
        var engine = NewEngine();
        var writes = new List<Task>();
        for (ulong i = 1; i <= 200; i++)
        {
            var batch = new RaftLogBatch { Sync = i % 50 == 0 }.Append(1, Entries(i, i, 1)).Append(2, Entries(i, i, 1));
            if (i % 20 == 0)
            {
                batch.Compact(2, i - 5);
            }

            writes.Add(engine.WriteAsync(batch).AsTask());
            if (i % 40 == 0)
            {
                writes.Add(Assert.ThrowsAsync<ArgumentException>(async () => await engine.WriteAsync(new RaftLogBatch().Append(1, Entries(i + 2, i + 2, 1)).Append(3, Entries(1, 1, 1)))));
                writes.Add(Assert.ThrowsAsync<ArgumentException>(async () => await engine.WriteAsync(new RaftLogBatch().Append(2, Entries(i - 15, i - 15, 1)))));
            }
        }

        await Task.WhenAll(writes);

        Assert.Equal((1UL, 200UL), (engine.FirstIndex(1), engine.LastIndex(1)));
        Assert.Equal((195UL, 200UL), (engine.FirstIndex(2), engine.LastIndex(2)));
        Assert.Equal((1UL, 0UL), (engine.FirstIndex(3), engine.LastIndex(3)));
    }

    public static TheoryData<int> Seeds => [.. TestSeed.Seeds(4)];

    /// <summary>Random appends, conflicts, compactions and states agree with a naive model (a dictionary of index → entry per region).</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Random_operations_agree_with_a_naive_model(int seed)
    {
        var random = new Random(seed);
        var engine = NewEngine();
        var model = new Dictionary<ulong, (ulong First, SortedDictionary<ulong, RaftEntry> Entries)>();
        for (int round = 0; round < 300; round++)
        {
            ulong region = (ulong)random.Next(1, 5);
            var (first, entries) = model.GetValueOrDefault(region, (1UL, new SortedDictionary<ulong, RaftEntry>()));
            ulong last = entries.Count == 0 ? first - 1 : entries.Keys.Max();
            if (random.Next(5) == 0 && last >= first)
            {
                ulong to = (ulong)random.NextInt64((long)first, (long)last + 2);
                await engine.WriteAsync(new RaftLogBatch().Compact(region, to));
                foreach (var k in entries.Keys.Where(k => k < to).ToList())
                {
                    entries.Remove(k);
                }

                first = entries.Count == 0 ? Math.Max(first, to) : entries.Keys.Min();
            }
            else
            {
                ulong start = last < first ? first : (ulong)random.NextInt64((long)first, (long)last + 2);
                ulong term = (ulong)round;
                var batch = Entries(start, start + (ulong)random.Next(0, 4), term, random.Next(0, 40));
                await engine.WriteAsync(new RaftLogBatch { Sync = random.Next(3) == 0 }.Append(region, batch));
                foreach (var k in entries.Keys.Where(k => k >= start).ToList())
                {
                    entries.Remove(k);
                }

                foreach (var e in batch)
                {
                    entries[e.Index] = e;
                }

                first = entries.Keys.Min();
            }

            model[region] = (first, entries);
            string context = $"{TestSeed.Replay(seed)}, round {round}, region {region}";
            Assert.True(engine.FirstIndex(region) == first, $"{context}: first index {engine.FirstIndex(region)}, expected {first}");
            ulong expectedLast = entries.Count == 0 ? first - 1 : entries.Keys.Max();
            Assert.True(engine.LastIndex(region) == expectedLast, $"{context}: last index {engine.LastIndex(region)}, expected {expectedLast}");
            var fetched = new List<RaftEntry>();
            Assert.Equal(RaftLogFetch.Ok, engine.FetchEntries(region, first, expectedLast + 1, long.MaxValue, fetched));
            Assert.True(fetched.Select(e => (e.Index, e.Term, Convert.ToHexString(e.Data))).SequenceEqual(entries.Values.Select(e => (e.Index, e.Term, Convert.ToHexString(e.Data)))), $"{context}: entries differ");
        }
    }
}

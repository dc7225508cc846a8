using TinyKv.Storage;
using TinyKv.TestKit;
using TinyKv.Transactions.Codec;
using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Properties;

/// <summary>
/// Random concurrent transactions, interleaved step by step by a seeded driver, against a serial
/// oracle built from the transactions that committed: every read is a consistent snapshot at
/// its start ts, first committer wins on overlapping writes (no lost update), and every
/// transaction is atomic (all its keys committed at one commit ts, or none).
/// </summary>
public sealed class SnapshotIsolationTests
{
    private const int KeyCount = 10;

    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(12).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Interleaved_transactions_satisfy_snapshot_isolation_and_atomicity(int seed)
    {
        var random = new Random(seed);
        var faults = new ClientFaults(CrashPerStep: 0.02, CrashAfterCommitPoint: 0.2, AbortAfterPrewrite: 0.1, LockTtl: 20);
        // Values are 16 to 22 bytes: some thresholds keep all of them in CF default, some inline, some split.
        using var db = new Percolator(shortValueMaxLength: random.Next(-1, 24));
        var tso = new Tso();
        byte[][] keys = [.. Enumerable.Range(0, KeyCount).Select(i => K($"key{i}"))];
        var txns = new List<ClientTxn>();
        var running = new List<ClientTxn>();
        var scans = new List<(TimeStamp ReadTs, List<KvPair> Pairs)>();
        int started = 0;
        while (started < 250 || running.Count > 0)
        {
            if (started < 250 && (running.Count == 0 || (running.Count < 5 && random.Next(4) == 0)))
            {
                var txn = NewTxn(started++, random, keys);
                txns.Add(txn);
                running.Add(txn);
            }

            if (random.Next(10) == 0)
            {
                // A pause (GC, network): the locks of live transactions may expire meanwhile.
                tso.Advance((ulong)random.Next(0, 30));
            }

            if (random.Next(20) == 0)
            {
                var readTs = tso.Next();
                scans.Add((readTs, db.Store.Scan(null, null, readTs, KeyCount)));
            }

            var next = running[random.Next(running.Count)];
            if (!await next.StepAsync(db.Store, tso, random, faults))
            {
                running.Remove(next);
            }
        }

        await LockResolver.ResolveAllAsync(db.Store, tso, keys);
        var committed = txns.Where(t => t.PrimaryCommitted).OrderBy(t => t.CommitTs).ToList();
        string replay = TestSeed.Replay(seed);
        Assert.True(committed.Count > 50, $"too few commits ({committed.Count}) to mean anything; {replay}");
        Assert.True(txns.Any(t => t.Outcome == TxnOutcome.Crashed && t.PrimaryCommitted), $"no crash after a commit point; {replay}");
        Assert.True(txns.Any(t => t.Outcome == TxnOutcome.Crashed && !t.PrimaryCommitted), $"no crash before a commit point; {replay}");
        Assert.True(txns.Any(t => t.Outcome == TxnOutcome.Aborted), $"no abort; {replay}");

        AssertAtomic(db, txns, replay);
        AssertFirstCommitterWins(committed, replay);
        foreach (var txn in txns)
        {
            foreach (var (key, value) in txn.Reads)
            {
                AssertEqual(Oracle(committed, key, txn.StartTs), value, $"txn {txn.StartTs} read {Hex(key)}; {replay}");
            }
        }

        foreach (var (readTs, pairs) in scans)
        {
            foreach (var pair in pairs.Where(p => p.Error is null))
            {
                AssertEqual(Oracle(committed, pair.Key, readTs), pair.Value, $"scan at {readTs} of {Hex(pair.Key)}; {replay}");
            }

            var locked = pairs.Where(p => p.Error is not null).Select(p => Hex(p.Key)).ToHashSet();
            var visible = keys.Where(k => Oracle(committed, k, readTs) is not null).Select(Hex).Where(k => !locked.Contains(k));
            Assert.Equal(visible, pairs.Where(p => p.Error is null).Select(p => Hex(p.Key)));
        }

        var final = db.Store.Scan(null, null, tso.Next(), KeyCount);
        Assert.All(final, p => Assert.Null(p.Error));
        Assert.Equal(
            keys.Select(k => (Hex(k), Oracle(committed, k, TimeStamp.Max.Prev()) is { } v ? Hex(v) : null)).Where(e => e.Item2 is not null),
            final.Select(p => (Hex(p.Key), (string?)Hex(p.Value!))));
    }

    /// <summary>A transaction reading 1–3 keys and writing (or deleting) some of them and maybe others.</summary>
    private static ClientTxn NewTxn(int id, Random random, byte[][] keys)
    {
        byte[][] reads = [.. keys.OrderBy(_ => random.Next()).Take(random.Next(1, 4))];
        byte[][] writes = [.. keys.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).Concat(reads.Take(random.Next(0, 2))).Distinct()];
        bool[] deletes = [.. writes.Select(_ => random.Next(5) == 0)];
        return new ClientTxn(id, reads, _ =>
        [
            .. writes.Select((key, i) => deletes[i] ? Mutation.Delete(key) : Mutation.Put(key, K($"txn{id}:{Hex(key)}"))),
        ]);
    }

    /// <summary>The value of <paramref name="key"/> a snapshot at <paramref name="readTs"/> must see: the last committed write at or before it.</summary>
    private static byte[]? Oracle(List<ClientTxn> committedByCommitTs, byte[] key, TimeStamp readTs)
    {
        byte[]? value = null;
        foreach (var txn in committedByCommitTs.TakeWhile(t => t.CommitTs <= readTs))
        {
            foreach (var m in txn.Mutations.Where(m => m.Key.AsSpan().SequenceEqual(key)))
            {
                value = m.Kind == MutationKind.Put ? m.Value : null;
            }
        }

        return value;
    }

    private static void AssertAtomic(Percolator db, List<ClientTxn> txns, string replay)
    {
        using var snapshot = db.Engine.Snapshot();
        using var reader = new MvccReader(snapshot);
        Assert.Equal(0, db.Count(ColumnFamily.Lock));
        foreach (var txn in txns.Where(t => t.Mutations.Count > 0))
        {
            foreach (var m in txn.Mutations)
            {
                var record = reader.GetTxnCommitRecord(MvccKey.Encode(m.Key), txn.StartTs);
                if (txn.PrimaryCommitted)
                {
                    Assert.True(
                        record.IsCommitted && record.CommitTs == txn.CommitTs,
                        $"txn {txn.StartTs} committed at {txn.CommitTs} but key {Hex(m.Key)} is {record.State} at {record.CommitTs}; {replay}");
                }
                else
                {
                    Assert.False(record.IsCommitted, $"txn {txn.StartTs} ({txn.Outcome}) did not commit but key {Hex(m.Key)} did; {replay}");
                }
            }
        }
    }

    private static void AssertFirstCommitterWins(List<ClientTxn> committed, string replay)
    {
        for (int i = 0; i < committed.Count; i++)
        {
            for (int j = i + 1; j < committed.Count; j++)
            {
                var (a, b) = (committed[i], committed[j]);
                bool overlap = a.Mutations.Any(m => b.Mutations.Any(n => m.Key.AsSpan().SequenceEqual(n.Key)));
                bool concurrent = a.StartTs < b.CommitTs && b.StartTs < a.CommitTs;
                Assert.False(overlap && concurrent, $"lost update: txns {a.StartTs}→{a.CommitTs} and {b.StartTs}→{b.CommitTs} both committed a shared key; {replay}");
            }
        }
    }

    private static void AssertEqual(byte[]? expected, byte[]? actual, string what) =>
        Assert.True(
            expected.AsSpan().SequenceEqual(actual) && (expected is null) == (actual is null),
            $"{what}: expected {(expected is null ? "nothing" : Hex(expected))}, got {(actual is null ? "nothing" : Hex(actual))}");
}

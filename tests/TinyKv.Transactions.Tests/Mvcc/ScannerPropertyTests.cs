using TinyKv.Storage;
using TinyKv.TestKit;
using TinyKv.Transactions.Actions;
using TinyKv.Transactions.Mvcc;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Mvcc;

/// <summary>
/// Scans and point gets over random histories (puts, deletes, rollback and lock records, live
/// locks) against a naive oracle that replays each key's versions.
/// </summary>
public sealed class ScannerPropertyTests
{
    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(20).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Scans_and_gets_agree_with_a_replay_of_the_history(int seed)
    {
        var random = new Random(seed);
        using var db = new Percolator();
        var history = new List<(byte[] Key, ulong CommitTs, Write Write, byte[]? Value)>();
        var locks = new Dictionary<string, Lock>();
        byte[][] keys = [.. Enumerable.Range(0, 12).Select(_ => RandomKey(random)).DistinctBy(Hex).Order(ByteArrayComparer.Instance)];
        ulong ts = 1;
        foreach (byte[] key in keys)
        {
            for (int v = random.Next(0, 5); v > 0; v--)
            {
                ulong start = ts += (ulong)random.Next(1, 5);
                ulong commit = ts += (ulong)random.Next(1, 5);
                var kind = (WriteKind)random.Next(1, 5);
                byte[]? value = kind == WriteKind.Put ? [.. key, (byte)v] : null;
                // A Put's value lives in CF default or, as a short value, in its write record.
                bool inline = value is not null && random.Next(2) == 0;
                if (value is not null && !inline)
                {
                    await db.SeedValueAsync(key, start, value);
                }

                ulong at = kind == WriteKind.Rollback ? start : commit;
                var write = new Write(kind, start, ShortValue: inline ? value : null);
                await db.SeedWriteAsync(key, at, write);
                history.Add((key, at, write, value));
            }

            if (random.Next(4) == 0)
            {
                var @lock = new Lock((LockKind)random.Next(1, 5), keys[random.Next(keys.Length)], (ulong)random.Next(1, (int)ts + 5), 10);
                await db.SeedLockAsync(key, @lock);
                locks[Hex(key)] = @lock;
            }
        }

        using var snapshot = db.Engine.Snapshot();
        for (int round = 0; round < 40; round++)
        {
            ulong readTs = random.Next(8) == 0 ? ulong.MaxValue : (ulong)random.Next(0, (int)ts + 5);
            byte[]? lower = random.Next(3) == 0 ? null : RandomKey(random);
            byte[]? upper = random.Next(3) == 0 ? null : RandomKey(random);
            int limit = random.Next(0, keys.Length + 2);
            bool reverse = random.Next(2) == 0;

            var expected = keys
                .Where(k => (lower is null || ByteArrayComparer.Instance.Compare(k, lower) >= 0) && (upper is null || ByteArrayComparer.Instance.Compare(k, upper) < 0))
                .Select(k => Expected(k, readTs))
                .Where(e => e is not null)
                .Select(e => e!)
                .ToList();
            if (reverse)
            {
                expected.Reverse();
            }

            var actual = TxnActions.Scan(snapshot, lower, upper, readTs, limit, reverse).Select(Describe);
            string context = $"scan [{(lower is null ? "-" : Hex(lower))}, {(upper is null ? "-" : Hex(upper))}) at {readTs} limit {limit} reverse {reverse}; {TestSeed.Replay(seed)}";
            Assert.True(expected.Take(limit).SequenceEqual(actual), $"{context}\nexpected {string.Join(" ", expected.Take(limit))}\nactual   {string.Join(" ", actual)}");

            using var reader = new MvccReader(snapshot);
            foreach (byte[] key in keys)
            {
                var error = TxnActions.Get(reader, key, readTs, out byte[]? value);
                string got = error is KeyIsLocked ? $"{Hex(key)}:locked" : value is null ? "none" : $"{Hex(key)}={Hex(value)}";
                Assert.Equal(Expected(key, readTs) ?? "none", got);
            }
        }

        string? Expected(byte[] key, ulong readTs)
        {
            if (locks.TryGetValue(Hex(key), out var @lock) && @lock.BlocksRead(key, readTs))
            {
                return $"{Hex(key)}:locked";
            }

            var newest = history
                .Where(h => h.Key.AsSpan().SequenceEqual(key) && h.CommitTs <= readTs && h.Write.IsDataChange)
                .OrderByDescending(h => h.CommitTs)
                .FirstOrDefault();
            return newest.Value is { } value ? $"{Hex(key)}={Hex(value)}" : null;
        }
    }

    private static string Describe(KvPair pair) =>
        pair.Error is KeyIsLocked ? $"{Hex(pair.Key)}:locked" : $"{Hex(pair.Key)}={Hex(pair.Value!)}";

    private static byte[] RandomKey(Random random)
    {
        byte[] key = new byte[random.Next(0, 11)];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(random.Next(3) switch { 0 => 0, 1 => 255, _ => random.Next(1, 4) });
        }

        return key;
    }
}

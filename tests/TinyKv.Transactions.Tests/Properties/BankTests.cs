using System.Buffers.Binary;
using TinyKv.TestKit;
using TinyKv.Transactions.Commands;
using static TinyKv.Transactions.Tests.Percolator;

namespace TinyKv.Transactions.Tests.Properties;

/// <summary>
/// The bank invariant: money moves between accounts in transactions that may abort, crash
/// before or after their commit point, or be rolled back by readers once their locks expire,
/// and every snapshot an auditor manages to read (after resolving the locks in its way) sums to
/// the initial total.
/// </summary>
public sealed class BankTests
{
    private const int Accounts = 8;
    private const int InitialBalance = 100;
    private const int Total = Accounts * InitialBalance;

    private static readonly ClientFaults Faults = new(CrashPerStep: 0.02, CrashAfterCommitPoint: 0.15, AbortAfterPrewrite: 0.1, LockTtl: 10);

    public static IEnumerable<object[]> Seeds() => TestSeed.Seeds(8).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Interleaved_transfers_keep_every_snapshot_balanced(int seed)
    {
        var random = new Random(seed);
        using var db = new Percolator(Lock.ShortValueMaxLength);
        var tso = new Tso();
        await OpenAccountsAsync(db.Store, tso);
        var running = new List<ClientTxn>();
        int started = 0, audits = 0, committed = 0;
        while (started < 300 || running.Count > 0)
        {
            if (started < 300 && (running.Count == 0 || (running.Count < 6 && random.Next(3) == 0)))
            {
                running.Add(Transfer(started++, random));
            }

            if (random.Next(8) == 0)
            {
                tso.Advance((ulong)random.Next(0, 15));
            }

            if (random.Next(10) == 0 && await AuditAsync(db.Store, tso, TestSeed.Replay(seed)))
            {
                audits++;
            }

            var next = running[random.Next(running.Count)];
            if (!await next.StepAsync(db.Store, tso, random, Faults))
            {
                running.Remove(next);
                committed += next.PrimaryCommitted ? 1 : 0;
            }
        }

        await LockResolver.ResolveAllAsync(db.Store, tso, AccountKeys());
        Assert.True(await AuditAsync(db.Store, tso, TestSeed.Replay(seed)), "the final audit must see no locks");
        Assert.True(audits > 10 && committed > 50, $"{audits} audits, {committed} commits: too few to mean anything; {TestSeed.Replay(seed)}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Parallel_transfers_keep_every_snapshot_balanced(int seed)
    {
        using var db = new Percolator(Lock.ShortValueMaxLength);
        var tso = new Tso();
        await OpenAccountsAsync(db.Store, tso);
        int done = 0, committed = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new Random(seed * 31 + w);
            for (int i = 0; i < 60; i++)
            {
                var txn = Transfer((w * 1000) + i, random);
                while (await txn.StepAsync(db.Store, tso, random, Faults))
                {
                }

                Interlocked.Add(ref committed, txn.PrimaryCommitted ? 1 : 0);
            }

            Interlocked.Increment(ref done);
        })).ToList();
        var auditor = Task.Run(async () =>
        {
            int audits = 0;
            while (Volatile.Read(ref done) < workers.Count)
            {
                audits += await AuditAsync(db.Store, tso, TestSeed.Replay(seed)) ? 1 : 0;
                await Task.Yield();
            }

            return audits;
        });
        await Task.WhenAll(workers);
        int audits = await auditor;
        await LockResolver.ResolveAllAsync(db.Store, tso, AccountKeys());
        Assert.True(await AuditAsync(db.Store, tso, TestSeed.Replay(seed)), "the final audit must see no locks");
        Assert.True(committed > 60, $"{committed} commits, {audits} audits: too few to mean anything; {TestSeed.Replay(seed)}");
    }

    private static byte[][] AccountKeys() => [.. Enumerable.Range(0, Accounts).Select(i => K($"acct{i}"))];

    private static async Task OpenAccountsAsync(TxnStore store, Tso tso)
    {
        byte[][] keys = AccountKeys();
        var startTs = tso.Next();
        Assert.Empty(await store.PrewriteAsync([.. keys.Select(k => Mutation.Put(k, Encode(InitialBalance)))], new TxnProps(startTs, keys[0], 100)));
        Assert.Null(await store.CommitAsync(startTs, keys, tso.Next()));
    }

    /// <summary>Moves a random amount between two random accounts, if the payer can afford it.</summary>
    private static ClientTxn Transfer(int id, Random random)
    {
        byte[][] keys = AccountKeys();
        int from = random.Next(Accounts);
        int to = (from + random.Next(1, Accounts)) % Accounts;
        int amount = random.Next(1, 40);
        return new ClientTxn(id, [keys[from], keys[to]], reads =>
        {
            int payer = Decode(reads[0].Value);
            int payee = Decode(reads[1].Value);
            return payer < amount
                ? []
                : [Mutation.Put(keys[from], Encode(payer - amount)), Mutation.Put(keys[to], Encode(payee + amount))];
        });
    }

    /// <summary>
    /// Reads every account in one snapshot and checks the total. Returns false when a lock was in
    /// the way (it is resolved if its transaction is dead, so a later audit gets through).
    /// </summary>
    private static async Task<bool> AuditAsync(TxnStore store, Tso tso, string replay)
    {
        var readTs = tso.Next();
        var pairs = store.Scan(null, null, readTs, Accounts + 1);
        var locked = pairs.Select(p => p.Error).OfType<KeyIsLocked>().ToList();
        if (locked.Count > 0)
        {
            foreach (var error in locked)
            {
                await LockResolver.ResolveAsync(store, tso, error.Lock, readTs);
            }

            return false;
        }

        Assert.Equal(Accounts, pairs.Count);
        int sum = pairs.Sum(p => Decode(p.Value));
        Assert.True(sum == Total, $"snapshot at {readTs} sums to {sum}, not {Total}: {string.Join(", ", pairs)}; {replay}");
        // Point reads at the same ts must agree, unless a transaction that started before readTs
        // has prewritten since the scan: then the read reports its lock rather than guess.
        var points = AccountKeys().Select(k => store.Get(k, readTs)).ToList();
        if (points.All(p => p.Error is null))
        {
            int pointSum = points.Sum(p => Decode(p.Value));
            Assert.True(pointSum == Total, $"point reads at {readTs} sum to {pointSum}, not {Total}; {replay}");
        }

        Assert.All(points, p => Assert.True(p.Error is null or KeyIsLocked, $"unexpected read error {p.Error}; {replay}"));
        return true;
    }

    private static byte[] Encode(int balance)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, balance);
        return bytes;
    }

    private static int Decode(byte[]? bytes) =>
        bytes is null ? throw new InvalidOperationException("an account vanished") : BinaryPrimitives.ReadInt32BigEndian(bytes);
}

using TinyKv.Transactions.Commands;

namespace TinyKv.Transactions.Tests.Properties;

internal enum TxnOutcome
{
    Running,
    Committed,
    Aborted,
    Crashed,
}

/// <summary>Knobs of the simulated clients.</summary>
/// <param name="CrashPerStep">Chance that the coordinator dies before a step, before the commit point.</param>
/// <param name="CrashAfterCommitPoint">Chance that it dies before committing a secondary, after the primary committed.</param>
internal sealed record ClientFaults(double CrashPerStep, double CrashAfterCommitPoint, double AbortAfterPrewrite, ulong LockTtl, int MaxReadAttempts = 8);

/// <summary>
/// A Percolator client coordinator (Percolator §2.2, Figure 6) as a step machine, so a seeded
/// driver can interleave many of them deterministically: read a snapshot at the start ts,
/// prewrite each key in random order (one step per key, as if each lived in its own region,
/// so a secondary may be locked before its primary), commit the
/// primary (the commit point), then the secondaries. It may crash at any step, leaving locks
/// that readers resolve, or abort on purpose after prewriting.
/// </summary>
internal sealed class ClientTxn(
    int id,
    byte[][] readKeys,
    Func<IReadOnlyList<(byte[] Key, byte[]? Value)>, List<Mutation>> body)
{
    private int[] _prewriteOrder = [];
    private int _step;
    private int _readAttempts;
    private Phase _phase = Phase.Begin;

    private enum Phase
    {
        Begin,
        Read,
        Prewrite,
        CommitPrimary,
        CommitSecondaries,
        Done,
    }

    public int Id { get; } = id;

    public TimeStamp StartTs { get; private set; }

    public TimeStamp CommitTs { get; private set; }

    public TxnOutcome Outcome { get; private set; }

    /// <summary>Whether the primary's commit succeeded: the transaction is committed, even if the coordinator crashed after.</summary>
    public bool PrimaryCommitted { get; private set; }

    public List<(byte[] Key, byte[]? Value)> Reads { get; } = [];

    public List<Mutation> Mutations { get; private set; } = [];

    public byte[] Primary => Mutations[0].Key;

    /// <summary>Runs one step; false once the transaction has finished (or crashed).</summary>
    public async Task<bool> StepAsync(TxnStore store, Tso tso, Random random, ClientFaults faults)
    {
        if (_phase == Phase.Done)
        {
            return false;
        }

        double crash = _phase == Phase.CommitSecondaries ? faults.CrashAfterCommitPoint : faults.CrashPerStep;
        if (_phase != Phase.Begin && random.NextDouble() < crash)
        {
            Finish(TxnOutcome.Crashed);
            return false;
        }

        switch (_phase)
        {
            case Phase.Begin:
                StartTs = tso.Next();
                _phase = Phase.Read;
                break;
            case Phase.Read:
                await ReadAsync(store, tso, random, faults);
                break;
            case Phase.Prewrite:
                await PrewriteAsync(store, faults);
                if (_phase == Phase.CommitPrimary && random.NextDouble() < faults.AbortAfterPrewrite)
                {
                    await RollbackAsync(store);
                }

                break;
            case Phase.CommitPrimary:
                await CommitPrimaryAsync(store, tso);
                break;
            case Phase.CommitSecondaries:
                var error = await store.CommitAsync(StartTs, [Mutations[_step].Key], CommitTs);
                Assert.True(error is null, $"txn {StartTs}: secondary commit after the commit point failed: {error}");
                if (++_step == Mutations.Count)
                {
                    Finish(TxnOutcome.Committed);
                }

                break;
        }

        return _phase != Phase.Done;
    }

    private async Task ReadAsync(TxnStore store, Tso tso, Random random, ClientFaults faults)
    {
        Reads.Clear();
        foreach (byte[] key in readKeys)
        {
            var result = store.Get(key, StartTs);
            if (result.Error is KeyIsLocked locked)
            {
                await LockResolver.ResolveAsync(store, tso, locked.Lock, StartTs);
                if (++_readAttempts >= faults.MaxReadAttempts)
                {
                    Finish(TxnOutcome.Aborted);
                }

                return;
            }

            Assert.True(result.Error is null, $"txn {StartTs}: read failed: {result.Error}");
            Reads.Add((key, result.Value));
        }

        Mutations = body(Reads);
        if (Mutations.Count == 0)
        {
            Finish(TxnOutcome.Committed);
            return;
        }

        _prewriteOrder = [.. Enumerable.Range(0, Mutations.Count)];
        random.Shuffle(_prewriteOrder);
        _phase = Phase.Prewrite;
        _step = 0;
    }

    private async Task PrewriteAsync(TxnStore store, ClientFaults faults)
    {
        var errors = await store.PrewriteAsync([Mutations[_prewriteOrder[_step]]], new TxnProps(StartTs, Primary, faults.LockTtl));
        if (errors.Count > 0)
        {
            Assert.All(errors, e => Assert.True(
                e.Code is TxnErrorCode.KeyIsLocked or TxnErrorCode.WriteConflict or TxnErrorCode.AlreadyRolledBack,
                $"txn {StartTs}: unexpected prewrite error {e}"));
            await RollbackAsync(store);
            return;
        }

        if (++_step == Mutations.Count)
        {
            _phase = Phase.CommitPrimary;
        }
    }

    private async Task CommitPrimaryAsync(TxnStore store, Tso tso)
    {
        CommitTs = tso.Next();
        var error = await store.CommitAsync(StartTs, [Primary], CommitTs);
        if (error is not null)
        {
            // A resolver rolled the transaction back after its TTL expired.
            Assert.True(error.Code == TxnErrorCode.AlreadyRolledBack, $"txn {StartTs}: unexpected primary commit error {error}");
            await RollbackAsync(store);
            return;
        }

        PrimaryCommitted = true;
        _step = 1;
        _phase = Phase.CommitSecondaries;
        if (_step == Mutations.Count)
        {
            Finish(TxnOutcome.Committed);
        }
    }

    private async Task RollbackAsync(TxnStore store)
    {
        var error = await store.BatchRollbackAsync(StartTs, [.. Mutations.Select(m => m.Key)]);
        Assert.True(error is null, $"txn {StartTs}: rollback failed: {error}");
        Finish(TxnOutcome.Aborted);
    }

    private void Finish(TxnOutcome outcome)
    {
        Outcome = outcome;
        _phase = Phase.Done;
    }
}

using TinyKv.Transactions.Commands;

namespace TinyKv.Transactions.Tests.Properties;

/// <summary>
/// What a Percolator reader does when it meets a lock (Percolator §2.2): ask the primary
/// (check-txn-status, which rolls back an expired transaction), then roll the lock forward or
/// back. A live lock is left alone.
/// </summary>
internal static class LockResolver
{
    /// <remarks>
    /// The primary may not be prewritten yet (prewrites of different regions race); it is then
    /// rolled back (a rollback record forbids the late prewrite) only once the lock met has
    /// expired, as TiKV's client does; before that the transaction counts as alive.
    /// </remarks>
    /// <returns>True when the lock is gone (resolved now or earlier); false when its transaction is still alive.</returns>
    public static async Task<bool> ResolveAsync(TxnStore store, Tso tso, LockInfo @lock, TimeStamp callerStartTs)
    {
        var currentTs = tso.Next();
        bool expired = new Lock(@lock.Kind, @lock.Primary, @lock.LockTs, @lock.Ttl).IsExpired(currentTs);
        var check = await store.CheckTxnStatusAsync(@lock.Primary, @lock.LockTs, callerStartTs, currentTs, rollbackIfNotExist: expired);
        if (check.Error is TxnNotFound && !expired)
        {
            return false;
        }

        Assert.True(check.Error is null, $"check-txn-status of txn {@lock.LockTs} failed: {check.Error}");
        var status = check.Status!;
        if (status.State == TxnState.Locked)
        {
            return false;
        }

        var commitTs = status.State == TxnState.Committed ? status.CommitTs : TimeStamp.Zero;
        var error = await store.ResolveLockAsync(@lock.LockTs, commitTs, @lock.Key, [.. @lock.Key, 0]);
        Assert.True(error is null, $"resolve of txn {@lock.LockTs} on {Convert.ToHexString(@lock.Key)} failed: {error}");
        return true;
    }

    /// <summary>Resolves every lock in the store, with time moved far past every TTL.</summary>
    public static async Task ResolveAllAsync(TxnStore store, Tso tso, IEnumerable<byte[]> keys)
    {
        tso.Advance(1_000_000);
        foreach (byte[] key in keys)
        {
            while (store.Get(key, TimeStamp.Max.Prev()).Error is KeyIsLocked locked)
            {
                Assert.True(await ResolveAsync(store, tso, locked.Lock, tso.Next()), "an expired lock must resolve");
            }
        }
    }
}

namespace TinyKv.Transactions;

/// <summary>The state of a transaction as its primary key tells it.</summary>
public enum TxnState
{
    /// <summary>The primary lock is alive: the transaction may still commit.</summary>
    Locked,

    /// <summary>The transaction committed at <see cref="TxnStatus.CommitTs"/>.</summary>
    Committed,

    /// <summary>The transaction is rolled back (now or earlier).</summary>
    RolledBack,
}

/// <summary>What <c>CheckTxnStatus</c> did to the primary (kvrpcpb's <c>Action</c>; values are stable).</summary>
public enum TxnStatusAction
{
    NoAction = 0,

    /// <summary>The primary lock's TTL had expired: it was rolled back.</summary>
    TtlExpireRollback = 1,

    /// <summary>No lock and no record existed: a rollback record was written so the transaction can never commit.</summary>
    LockNotExistRollback = 2,

    /// <summary>The lock's min commit ts was pushed past the caller's start ts, so the caller may ignore it.</summary>
    MinCommitTsPushed = 3,
}

/// <summary>The outcome of a status check of a transaction.</summary>
/// <param name="Lock">The primary lock (after any push) when <see cref="State"/> is <see cref="TxnState.Locked"/>.</param>
public sealed record TxnStatus(TxnState State, TxnStatusAction Action, TimeStamp CommitTs = default, Lock? Lock = null)
{
    /// <summary>The primary lock's TTL in ms when locked, zero otherwise (kvrpcpb reports "locked" as ttl &gt; 0).</summary>
    public ulong LockTtl => Lock?.Ttl ?? 0;

    public static TxnStatus Committed(TimeStamp commitTs) => new(TxnState.Committed, TxnStatusAction.NoAction, commitTs);

    public static TxnStatus RolledBack(TxnStatusAction action) => new(TxnState.RolledBack, action);

    public static TxnStatus Locked(Lock @lock, TxnStatusAction action) => new(TxnState.Locked, action, Lock: @lock);
}

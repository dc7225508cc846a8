namespace TinyKv.Transactions;

/// <summary>
/// Stable codes of the expected failures of transactional commands; clients switch on them.
/// Values are part of the wire contract: never renumber, only append.
/// </summary>
public enum TxnErrorCode
{
    /// <summary>The key is locked by another transaction: back off, or resolve the lock via its primary, then retry.</summary>
    KeyIsLocked = 1,

    /// <summary>Another transaction committed the key after this one started: restart the transaction.</summary>
    WriteConflict = 2,

    /// <summary>The transaction's lock is gone and no commit or rollback record explains it.</summary>
    TxnLockNotFound = 3,

    /// <summary>The transaction is already committed, so it cannot be rolled back (TinyKV's <c>abort</c>).</summary>
    AlreadyCommitted = 4,

    /// <summary>The transaction was rolled back (by itself or a resolver): abort it.</summary>
    AlreadyRolledBack = 5,

    /// <summary>A transient state (another transaction's lock where ours should be): the client may retry.</summary>
    Retryable = 6,

    /// <summary>The commit ts is below the lock's min commit ts: get a newer commit ts and commit again.</summary>
    CommitTsExpired = 7,

    /// <summary>Neither a lock nor a commit or rollback record of the transaction exists.</summary>
    TxnNotFound = 8,

    /// <summary>The request itself is malformed (commit ts not after start ts, empty primary, ...); nothing was written.</summary>
    InvalidRequest = 9,

    /// <summary>
    /// The lock found on the key a status check named as primary belongs to the transaction but
    /// points at another primary: the caller's view of the transaction is wrong; nothing was changed.
    /// </summary>
    PrimaryMismatch = 10,
}

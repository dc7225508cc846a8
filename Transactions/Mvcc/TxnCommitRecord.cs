namespace TinyKv.Transactions.Mvcc;

/// <summary>What CF write says about one transaction on one key.</summary>
public enum TxnCommitState
{
    /// <summary>No record of the transaction: it neither committed nor was rolled back here.</summary>
    None,

    /// <summary>A Put/Delete/Lock record with the transaction's start ts exists.</summary>
    Committed,

    /// <summary>A rollback record at the start ts, or an overlapped-rollback flag on another transaction's commit at that ts.</summary>
    RolledBack,
}

/// <summary>The result of <see cref="MvccReader.GetTxnCommitRecord"/>.</summary>
/// <param name="CommitTs">The commit ts when <see cref="State"/> is <see cref="TxnCommitState.Committed"/>.</param>
public readonly record struct TxnCommitRecord(TxnCommitState State, TimeStamp CommitTs, Write Write)
{
    public static TxnCommitRecord None => default;

    public bool IsCommitted => State == TxnCommitState.Committed;

    public bool IsRolledBack => State == TxnCommitState.RolledBack;
}

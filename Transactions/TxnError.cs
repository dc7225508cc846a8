namespace TinyKv.Transactions;

/// <summary>
/// An expected failure of a transactional action, as a value with a stable <see cref="Code"/>
/// (STYLE habit 6). Each kind carries what the client needs to react.
/// </summary>
public abstract record TxnError(TxnErrorCode Code)
{
    public abstract string Message { get; }

    public sealed override string ToString() => $"{Code}: {Message}";
}

/// <summary>The key is locked by another transaction whose lock is visible to the request.</summary>
public sealed record KeyIsLocked(LockInfo Lock) : TxnError(TxnErrorCode.KeyIsLocked)
{
    public override string Message => $"key {Hex(Lock.Key)} is locked by txn {Lock.LockTs} (primary {Hex(Lock.Primary)}, ttl {Lock.Ttl})";

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}

/// <summary>A write of <paramref name="Key"/> committed at <paramref name="ConflictCommitTs"/> &gt; the prewriting transaction's <paramref name="StartTs"/>.</summary>
public sealed record WriteConflict(TimeStamp StartTs, TimeStamp ConflictStartTs, TimeStamp ConflictCommitTs, byte[] Key, byte[] Primary)
    : TxnError(TxnErrorCode.WriteConflict)
{
    public override string Message =>
        $"txn {StartTs} conflicts on key {Convert.ToHexString(Key)} with txn {ConflictStartTs} committed at {ConflictCommitTs}";

    public bool Equals(WriteConflict? other) =>
        other is not null && StartTs == other.StartTs && ConflictStartTs == other.ConflictStartTs
        && ConflictCommitTs == other.ConflictCommitTs && Key.AsSpan().SequenceEqual(other.Key) && Primary.AsSpan().SequenceEqual(other.Primary);

    public override int GetHashCode() => HashCode.Combine(StartTs, ConflictStartTs, ConflictCommitTs);
}

/// <summary>The lock of txn <paramref name="StartTs"/> on <paramref name="Key"/> is missing and no record says the transaction committed.</summary>
public sealed record TxnLockNotFound(TimeStamp StartTs, byte[] Key) : TxnError(TxnErrorCode.TxnLockNotFound)
{
    public override string Message => $"lock of txn {StartTs} on key {Convert.ToHexString(Key)} not found";
}

/// <summary>Txn <paramref name="StartTs"/> committed at <paramref name="CommitTs"/>; a rollback is refused.</summary>
public sealed record AlreadyCommitted(TimeStamp StartTs, TimeStamp CommitTs, byte[] Key) : TxnError(TxnErrorCode.AlreadyCommitted)
{
    public override string Message => $"txn {StartTs} is already committed at {CommitTs} (key {Convert.ToHexString(Key)})";
}

/// <summary>Txn <paramref name="StartTs"/> was rolled back on <paramref name="Key"/>; commit and prewrite are refused.</summary>
public sealed record AlreadyRolledBack(TimeStamp StartTs, byte[] Key) : TxnError(TxnErrorCode.AlreadyRolledBack)
{
    public override string Message => $"txn {StartTs} is already rolled back (key {Convert.ToHexString(Key)})";
}

/// <summary>A transient failure the client may retry, with a reason.</summary>
public sealed record Retryable(string Reason) : TxnError(TxnErrorCode.Retryable)
{
    public override string Message => Reason;
}

/// <summary>The commit ts is below the lock's min commit ts.</summary>
public sealed record CommitTsExpired(TimeStamp StartTs, TimeStamp CommitTs, TimeStamp MinCommitTs, byte[] Key) : TxnError(TxnErrorCode.CommitTsExpired)
{
    public override string Message => $"txn {StartTs}: commit ts {CommitTs} is below min commit ts {MinCommitTs} on key {Convert.ToHexString(Key)}";
}

/// <summary>No lock and no commit or rollback record of txn <paramref name="StartTs"/> on its primary.</summary>
public sealed record TxnNotFound(TimeStamp StartTs, byte[] Key) : TxnError(TxnErrorCode.TxnNotFound)
{
    public override string Message => $"txn {StartTs} not found on primary {Convert.ToHexString(Key)}";
}

/// <summary>
/// A status check named a key as the primary of txn <see cref="LockInfo.LockTs"/>, and that key
/// holds the transaction's lock, but the lock's primary is <see cref="LockInfo.Primary"/> (TiKV's
/// <c>PrimaryMismatch</c>): the key is a secondary, whose lock cannot decide the transaction.
/// </summary>
public sealed record PrimaryMismatch(LockInfo Lock) : TxnError(TxnErrorCode.PrimaryMismatch)
{
    public override string Message =>
        $"key {Convert.ToHexString(Lock.Key)} is not the primary of txn {Lock.LockTs}: its lock names primary {Convert.ToHexString(Lock.Primary)}";
}

/// <summary>The request is malformed; nothing was read or written.</summary>
public sealed record InvalidRequest(string Reason) : TxnError(TxnErrorCode.InvalidRequest)
{
    public override string Message => Reason;
}

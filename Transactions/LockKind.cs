namespace TinyKv.Transactions;

/// <summary>What a lock will become on commit. Values are part of the lock format (v1): never renumber.</summary>
public enum LockKind : byte
{
    /// <summary>The transaction writes a value (kept in CF default at key+start ts).</summary>
    Put = 1,

    /// <summary>The transaction deletes the key.</summary>
    Delete = 2,

    /// <summary>Kept for TinyKV's format; an action never writes it.</summary>
    Rollback = 3,

    /// <summary>A read lock (SELECT FOR UPDATE): commits as a Lock record and never blocks readers.</summary>
    Lock = 4,
}

namespace TinyKv.Transactions;

/// <summary>The kind of a prewrite mutation (kvrpcpb's <c>Op</c>, minus Rollback).</summary>
public enum MutationKind : byte
{
    Put = 0,
    Delete = 1,
    Lock = 3,
}

/// <summary>One key a transaction writes (or read-locks) in its prewrite.</summary>
/// <param name="Value">The value of a <see cref="MutationKind.Put"/>; empty is a present, empty value. Ignored otherwise.</param>
public readonly record struct Mutation(MutationKind Kind, byte[] Key, byte[]? Value = null)
{
    public static Mutation Put(byte[] key, byte[] value) => new(MutationKind.Put, key, value);

    public static Mutation Delete(byte[] key) => new(MutationKind.Delete, key);

    public static Mutation Lock(byte[] key) => new(MutationKind.Lock, key);

    /// <summary>The lock kind a prewrite of this mutation leaves.</summary>
    public LockKind LockKind => Kind switch
    {
        MutationKind.Put => LockKind.Put,
        MutationKind.Delete => LockKind.Delete,
        MutationKind.Lock => LockKind.Lock,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown mutation kind"),
    };
}

namespace TinyKv.Storage;

public sealed partial class WriteBatch
{
    /// <summary>
    /// <see cref="Put"/> that keeps <paramref name="key"/> and <paramref name="value"/> themselves instead of
    /// copies: for a writer whose arrays are already its own and never change, such as bytes just parsed
    /// out of a request. Same validation as <see cref="Put"/>.
    /// </summary>
    /// <remarks>
    /// The arrays must not change while the batch may read them: until its write has completed on an
    /// engine that copies what it keeps (<see cref="IKvCopyingWrites"/>), for good on any other, which may
    /// keep them as its values. Such a batch is never <see cref="Recycle"/>d (it would refill them).
    /// </remarks>
    public WriteBatch PutUncopied(ColumnFamily cf, byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        StorageLimits.CheckKey(key);
        StorageLimits.CheckValue(value);
        Add(new WriteOp(WriteOpKind.Put, cf, key, value));
        return this;
    }

    /// <summary><see cref="Delete"/> that keeps <paramref name="key"/> itself; the same rules as <see cref="PutUncopied"/>.</summary>
    public WriteBatch DeleteUncopied(ColumnFamily cf, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        StorageLimits.CheckKey(key);
        Add(new WriteOp(WriteOpKind.Delete, cf, key, []));
        return this;
    }
}

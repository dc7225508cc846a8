namespace TinyKv.Storage;

/// <summary>The kinds of operation a <see cref="WriteBatch"/> carries. Values are part of the on-disk format.</summary>
public enum WriteOpKind : byte
{
    Put = 1,
    Delete = 2,
    /// <summary>Deletes every key in [Key, EndKey) of one column family.</summary>
    DeleteRange = 3,
}

/// <summary>One operation of a batch. For <see cref="WriteOpKind.DeleteRange"/>, <see cref="Value"/> holds the exclusive end key.</summary>
public readonly record struct WriteOp(WriteOpKind Kind, ColumnFamily Cf, byte[] Key, byte[] Value)
{
    /// <summary>The exclusive end of a <see cref="WriteOpKind.DeleteRange"/>.</summary>
    public byte[] EndKey => Value;
}

/// <summary>
/// An ordered list of puts, deletes and range deletes across column families, applied by
/// <see cref="IKvEngine.WriteAsync"/> atomically: after a crash either every operation of the
/// batch is visible or none is. Operations apply in the order they were added (a later put of
/// the same key wins). The batch copies keys and values, so callers may reuse their buffers
/// (except <see cref="PutUncopied"/> and <see cref="DeleteUncopied"/>, which keep the caller's arrays).
/// </summary>
/// <remarks>Not thread-safe. A batch may be reused after <see cref="Clear"/>.</remarks>
public sealed partial class WriteBatch
{
    private readonly List<WriteOp> _ops = [];

    /// <summary>
    /// When true, <see cref="IKvEngine.WriteAsync"/> returns only after the batch is durable
    /// (fsynced, possibly together with other batches: group commit).
    /// </summary>
    public bool Sync { get; set; }

    /// <summary>The operations in the order they were added.</summary>
    public IReadOnlyList<WriteOp> Operations => _ops;

    public int Count => _ops.Count;

    /// <summary>The operations as a span: the engine's writer walks them without boxing an enumerator.</summary>
    internal ReadOnlySpan<WriteOp> OperationSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ops);

    public bool IsEmpty => _ops.Count == 0;

    /// <summary>Sum of key and value bytes; an estimate of the batch's size on disk.</summary>
    public long DataSize { get; private set; }

    public WriteBatch Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        StorageLimits.CheckKey(key);
        StorageLimits.CheckValue(value);
        Add(new WriteOp(WriteOpKind.Put, cf, key.ToArray(), value.ToArray()));
        return this;
    }

    public WriteBatch Delete(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        StorageLimits.CheckKey(key);
        Add(new WriteOp(WriteOpKind.Delete, cf, key.ToArray(), []));
        return this;
    }

    /// <summary>Deletes every key of <paramref name="cf"/> in [<paramref name="startKey"/>, <paramref name="endKey"/>).</summary>
    public WriteBatch DeleteRange(ColumnFamily cf, ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        StorageLimits.CheckKey(startKey);
        StorageLimits.CheckKey(endKey);
        Add(new WriteOp(WriteOpKind.DeleteRange, cf, startKey.ToArray(), endKey.ToArray()));
        return this;
    }

    public void Clear()
    {
        _ops.Clear();
        DataSize = 0;
        Sync = false;
    }

    private void Add(WriteOp op)
    {
        if (!Enum.IsDefined(op.Cf))
        {
            throw new ArgumentOutOfRangeException(nameof(op), op.Cf, "unknown column family");
        }

        _ops.Add(op);
        DataSize += op.Key.Length + op.Value.Length;
    }
}

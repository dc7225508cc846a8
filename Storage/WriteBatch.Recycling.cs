namespace TinyKv.Storage;

public sealed partial class WriteBatch
{
    /// <summary>The most arrays <see cref="Recycle"/> keeps for reuse.</summary>
    public const int MaxSpareArrays = 32;

    /// <summary>The longest array <see cref="Recycle"/> keeps: a batch holds at most 16 KiB of spares, however large its values were.</summary>
    public const int MaxSpareArrayLength = 512;

    /// <summary>Arrays of earlier operations, kept by <see cref="Recycle"/> for <see cref="PutRecycled"/> and <see cref="DeleteRecycled"/>.</summary>
    private List<byte[]>? _spares;

    /// <summary>How many arrays wait for reuse.</summary>
    public int SpareArrayCount => _spares?.Count ?? 0;

    /// <summary>
    /// <see cref="Clear"/>, keeping the operations' key and value arrays (up to
    /// <see cref="MaxSpareArrays"/>, each at most <see cref="MaxSpareArrayLength"/> bytes) for later <see cref="PutRecycled"/> and <see cref="DeleteRecycled"/>
    /// calls to fill instead of allocating: for a writer that reuses one batch on an engine that
    /// keeps none of its arrays (<see cref="IKvCopyingWrites"/>).
    /// </summary>
    /// <remarks>
    /// Only once the engine has finished with the batch (its write has completed), and never on a
    /// batch holding arrays it did not copy (<see cref="PutUncopied"/>): they would be refilled.
    /// </remarks>
    public void Recycle()
    {
        _spares ??= [];
        foreach (ref readonly var op in OperationSpan)
        {
            Keep(op.Key);
            Keep(op.Value);
        }

        Clear();
    }

    /// <summary>
    /// <see cref="Put"/> into a spare array of the same length when there is one (each reused array is
    /// overwritten whole); on a batch never recycled, exactly <see cref="Put"/>.
    /// </summary>
    public WriteBatch PutRecycled(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        StorageLimits.CheckKey(key);
        StorageLimits.CheckValue(value);
        Add(new WriteOp(WriteOpKind.Put, cf, CopyToSpare(key), CopyToSpare(value)));
        return this;
    }

    /// <summary><see cref="Delete"/> into a spare array of the same length when there is one; on a batch never recycled, exactly <see cref="Delete"/>.</summary>
    public WriteBatch DeleteRecycled(ColumnFamily cf, ReadOnlySpan<byte> key)
    {
        StorageLimits.CheckKey(key);
        Add(new WriteOp(WriteOpKind.Delete, cf, CopyToSpare(key), []));
        return this;
    }

    private void Keep(byte[] array)
    {
        if (array.Length is > 0 and <= MaxSpareArrayLength && _spares!.Count < MaxSpareArrays)
        {
            _spares.Add(array);
        }
    }

    /// <summary>A copy of <paramref name="bytes"/> in a spare array of exactly its length (taken out of the spares), else in a new one.</summary>
    private byte[] CopyToSpare(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return [];
        }

        if (_spares is { } spares)
        {
            for (int i = spares.Count - 1; i >= 0; i--)
            {
                byte[] spare = spares[i];
                if (spare.Length == bytes.Length)
                {
                    spares[i] = spares[^1];
                    spares.RemoveAt(spares.Count - 1);
                    bytes.CopyTo(spare);
                    return spare;
                }
            }
        }

        return bytes.ToArray();
    }
}

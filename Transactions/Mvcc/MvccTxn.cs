using TinyKv.Storage;
using TinyKv.Transactions.Codec;

namespace TinyKv.Transactions.Mvcc;

/// <summary>
/// The modifications one command makes for the transaction that started at
/// <see cref="StartTs"/>, buffered in a <see cref="WriteBatch"/> (TiKV's <c>MvccTxn</c>). It never
/// reads: actions read through an <see cref="MvccReader"/> over a snapshot taken before any of
/// these writes, and the command applies <see cref="Modifications"/> atomically at the end.
/// </summary>
/// <remarks>
/// All key parameters are encoded keys (<see cref="MvccKey.Encode(ReadOnlySpan{byte})"/>). The batch
/// copies what it is given, so records are built in stack scratch, not in arrays of their own.
/// </remarks>
public sealed class MvccTxn(TimeStamp startTs)
{
    public TimeStamp StartTs { get; private set; } = startTs;

    /// <summary>The buffered writes, in the order the actions made them.</summary>
    public WriteBatch Modifications { get; } = new();

    /// <summary>
    /// Whether <see cref="Reset"/> keeps the batch's arrays for the next command to fill
    /// (<see cref="WriteBatch.Recycle"/>): only for an engine that keeps none of them (<see cref="IKvCopyingWrites"/>).
    /// </summary>
    internal bool RecyclesArrays { get; init; }

    public bool IsEmpty => Modifications.IsEmpty;

    /// <summary>Drops every buffered write: a command that failed on some key writes nothing.</summary>
    public void Discard() => Modifications.Clear();

    /// <summary>
    /// Empties the buffer for the transaction that started at <paramref name="startTs"/>, keeping the
    /// batch's storage, and its arrays when <see cref="RecyclesArrays"/> (a command context reuses its
    /// txn; clearing also resets <see cref="WriteBatch.Sync"/>). Only once the engine has finished with
    /// the previous batch.
    /// </summary>
    internal void Reset(TimeStamp startTs)
    {
        if (RecyclesArrays)
        {
            Modifications.Recycle();
        }
        else
        {
            Modifications.Clear();
        }

        StartTs = startTs;
    }

    public void PutLock(ReadOnlySpan<byte> encodedKey, Lock @lock) => PutLock(encodedKey, @lock.AsRef());

    public void PutLock(ReadOnlySpan<byte> encodedKey, LockRef @lock)
    {
        int size = @lock.EncodedSize;
        Span<byte> bytes = size <= MvccKey.ScratchSize ? stackalloc byte[MvccKey.ScratchSize] : new byte[size];
        @lock.WriteTo(bytes);
        Put(ColumnFamily.Lock, encodedKey, bytes[..size]);
    }

    public void UnlockKey(ReadOnlySpan<byte> encodedKey) =>
        Delete(ColumnFamily.Lock, encodedKey);

    /// <summary>Stores the value this transaction writes, at key+<see cref="StartTs"/> in CF default.</summary>
    public void PutValue(ReadOnlySpan<byte> encodedKey, ReadOnlySpan<byte> value)
    {
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        Put(ColumnFamily.Default, MvccKey.AppendTs(encodedKey, StartTs, scratch), value);
    }

    public void DeleteValue(ReadOnlySpan<byte> encodedKey)
    {
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        Delete(ColumnFamily.Default, MvccKey.AppendTs(encodedKey, StartTs, scratch));
    }

    /// <summary>Stores a write record at key+<paramref name="commitTs"/> in CF write.</summary>
    public void PutWrite(ReadOnlySpan<byte> encodedKey, TimeStamp commitTs, Write write) => PutWrite(encodedKey, commitTs, write.AsRef());

    /// <summary>Stores a write record at key+<paramref name="commitTs"/> in CF write.</summary>
    public void PutWrite(ReadOnlySpan<byte> encodedKey, TimeStamp commitTs, WriteRef write)
    {
        Span<byte> scratch = stackalloc byte[MvccKey.ScratchSize];
        int size = write.EncodedSize;
        Span<byte> record = size <= MvccKey.ScratchSize ? stackalloc byte[MvccKey.ScratchSize] : new byte[size];
        write.WriteTo(record);
        Put(ColumnFamily.Write, MvccKey.AppendTs(encodedKey, commitTs, scratch), record[..size]);
    }

    /// <summary>Copies into the batch's spare arrays when it recycles them; without spares (<see cref="RecyclesArrays"/> false) into new ones, as <see cref="WriteBatch.Put"/>.</summary>
    private void Put(ColumnFamily cf, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Modifications.PutRecycled(cf, key, value);

    private void Delete(ColumnFamily cf, ReadOnlySpan<byte> key) => Modifications.DeleteRecycled(cf, key);
}

namespace TinyKv.Transactions;

/// <summary>
/// A record in CF write, keyed by key+commit ts (Percolator's "write" column, §2.2): the
/// transaction that started at <see cref="StartTs"/> committed (or, for
/// <see cref="WriteKind.Rollback"/>, was rolled back) at the ts in the key.
/// </summary>
/// <param name="HasOverlappedRollback">
/// A rollback of the transaction whose start ts equals this record's commit ts was requested
/// but could not be written without overwriting this commit record (TiKV's overlapped
/// rollback). Lookups of that transaction's status treat it as rolled back.
/// </param>
/// <param name="ShortValue">The committed value of a Put that carried it in its lock (TiKV's short value): CF default holds nothing for it. Null otherwise.</param>
/// <remarks>
/// Format v1 (no short value): <c>[1][kind][BE64 start ts][flags]</c>, flag bit 0 = overlapped rollback.
/// Format v2 (with one): <c>[2][kind][BE64 start ts][flags][short value…]</c>. A record is written
/// in the first format that holds it; both are read.
/// </remarks>
public readonly record struct Write(WriteKind Kind, TimeStamp StartTs, bool HasOverlappedRollback = false, byte[]? ShortValue = null)
{
    public const byte FormatVersion = 1;

    public const byte ShortValueFormatVersion = 2;

    /// <summary>Bytes of a record without a short value; the short value follows them.</summary>
    public const int Size = 11;

    /// <summary>True for records that carry data or a deletion; false for Rollback and Lock, which readers skip.</summary>
    public bool IsDataChange => Kind is WriteKind.Put or WriteKind.Delete;

    /// <summary>Bytes of the stored form.</summary>
    public int EncodedSize => AsRef().EncodedSize;

    /// <summary>The record borrowed as a <see cref="WriteRef"/>, which encodes it.</summary>
    public WriteRef AsRef() => new(Kind, StartTs, HasOverlappedRollback, ShortValue, ShortValue is not null);

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        WriteTo(bytes);
        return bytes;
    }

    public void WriteTo(Span<byte> destination) => AsRef().WriteTo(destination);

    /// <summary>Parses a stored write record; false when the bytes are not a v1 or v2 record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Write parsed)
    {
        bool valid = WriteRef.TryParse(bytes, out var borrowed);
        parsed = valid ? borrowed.ToWrite() : default;
        return valid;
    }

    public bool Equals(Write other) =>
        Kind == other.Kind && StartTs == other.StartTs && HasOverlappedRollback == other.HasOverlappedRollback
        && (ShortValue is null ? other.ShortValue is null : other.ShortValue is not null && ShortValue.AsSpan().SequenceEqual(other.ShortValue));

    public override int GetHashCode() => HashCode.Combine(Kind, StartTs, HasOverlappedRollback, ShortValue?.Length);

    /// <summary>Parses a record read from CF write; corrupt bytes there are a broken invariant.</summary>
    public static Write Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var parsed) ? parsed : throw new InvalidDataException($"corrupt write record of {bytes.Length} bytes");
}

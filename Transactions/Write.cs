using System.Buffers.Binary;

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

    private const byte OverlappedRollbackFlag = 1;

    /// <summary>True for records that carry data or a deletion; false for Rollback and Lock, which readers skip.</summary>
    public bool IsDataChange => Kind is WriteKind.Put or WriteKind.Delete;

    /// <summary>Bytes of the stored form.</summary>
    public int EncodedSize => Size + (ShortValue?.Length ?? 0);

    public byte[] ToBytes()
    {
        byte[] bytes = new byte[EncodedSize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the stored form to the start of <paramref name="destination"/> (at least <see cref="EncodedSize"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = ShortValue is null ? FormatVersion : ShortValueFormatVersion;
        destination[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], StartTs.Value);
        destination[10] = HasOverlappedRollback ? OverlappedRollbackFlag : (byte)0;
        ShortValue?.CopyTo(destination[Size..]);
    }

    /// <summary>Parses a stored write record; false when the bytes are not a v1 or v2 record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Write parsed)
    {
        parsed = default;
        bool valid = bytes.Length >= Size
            && (bytes[0] == ShortValueFormatVersion || (bytes[0] == FormatVersion && bytes.Length == Size))
            && Enum.IsDefined((WriteKind)bytes[1])
            && bytes[10] <= OverlappedRollbackFlag;
        if (!valid)
        {
            return false;
        }

        parsed = new Write(
            (WriteKind)bytes[1],
            BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
            bytes[10] == OverlappedRollbackFlag,
            bytes[0] == ShortValueFormatVersion ? bytes[Size..].ToArray() : null);
        return true;
    }

    public bool Equals(Write other) =>
        Kind == other.Kind && StartTs == other.StartTs && HasOverlappedRollback == other.HasOverlappedRollback
        && (ShortValue is null ? other.ShortValue is null : other.ShortValue is not null && ShortValue.AsSpan().SequenceEqual(other.ShortValue));

    public override int GetHashCode() => HashCode.Combine(Kind, StartTs, HasOverlappedRollback, ShortValue?.Length);

    /// <summary>Parses a record read from CF write; corrupt bytes there are a broken invariant.</summary>
    public static Write Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var parsed) ? parsed : throw new InvalidDataException($"corrupt write record of {bytes.Length} bytes");
}

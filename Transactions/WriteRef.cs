using System.Buffers.Binary;

namespace TinyKv.Transactions;

/// <summary>
/// A write record borrowed from its stored bytes or from the caller's fields (TiKV's
/// <c>WriteRef</c>): <see cref="Write"/> without copying the short value out, so a commit that
/// moves a lock's short value into its record, and a prewrite that only checks the newest record,
/// allocate nothing for it. Valid as long as the span it borrows.
/// </summary>
/// <remarks>The stored formats are <see cref="Write"/>'s; this type owns their encoder and parser.</remarks>
public readonly ref struct WriteRef
{
    private const byte OverlappedRollbackFlag = 1;

    /// <param name="hasShortValue">Whether <paramref name="shortValue"/> is present (it may be empty); false writes format v1.</param>
    public WriteRef(WriteKind kind, TimeStamp startTs, bool hasOverlappedRollback, ReadOnlySpan<byte> shortValue, bool hasShortValue)
    {
        Kind = kind;
        StartTs = startTs;
        HasOverlappedRollback = hasOverlappedRollback;
        ShortValue = hasShortValue ? shortValue : default;
        HasShortValue = hasShortValue;
    }

    public WriteKind Kind { get; }

    public TimeStamp StartTs { get; }

    public bool HasOverlappedRollback { get; }

    /// <summary>The short value, empty when there is none (see <see cref="HasShortValue"/>).</summary>
    public ReadOnlySpan<byte> ShortValue { get; }

    public bool HasShortValue { get; }

    /// <summary>Bytes of the stored form.</summary>
    public int EncodedSize => Write.Size + ShortValue.Length;

    /// <summary>Writes the stored form to the start of <paramref name="destination"/> (at least <see cref="EncodedSize"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = HasShortValue ? Write.ShortValueFormatVersion : Write.FormatVersion;
        destination[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], StartTs.Value);
        destination[10] = HasOverlappedRollback ? OverlappedRollbackFlag : (byte)0;
        ShortValue.CopyTo(destination[Write.Size..]);
    }

    /// <summary>Reads a stored write record in place; false when the bytes are not a v1 or v2 record.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out WriteRef parsed)
    {
        parsed = default;
        bool valid = bytes.Length >= Write.Size
            && (bytes[0] == Write.ShortValueFormatVersion || (bytes[0] == Write.FormatVersion && bytes.Length == Write.Size))
            && Enum.IsDefined((WriteKind)bytes[1])
            && bytes[10] <= OverlappedRollbackFlag;
        if (!valid)
        {
            return false;
        }

        parsed = new WriteRef(
            (WriteKind)bytes[1],
            BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
            bytes[10] == OverlappedRollbackFlag,
            bytes[Write.Size..],
            bytes[0] == Write.ShortValueFormatVersion);
        return true;
    }

    /// <summary>Reads a record from CF write in place; corrupt bytes there are a broken invariant.</summary>
    public static WriteRef Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var parsed) ? parsed : throw new InvalidDataException($"corrupt write record of {bytes.Length} bytes");

    /// <summary>An owned copy.</summary>
    public Write ToWrite() => new(Kind, StartTs, HasOverlappedRollback, HasShortValue ? ShortValue.ToArray() : null);
}

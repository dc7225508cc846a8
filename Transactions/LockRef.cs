using System.Buffers.Binary;

namespace TinyKv.Transactions;

/// <summary>
/// A lock borrowed from its stored bytes or from the caller's fields (TiKV's <c>LockRef</c> /
/// <c>WriteRef</c> pattern): the same fields as <see cref="Lock"/> without copying the primary or
/// the short value out, so the hot paths (commit reads a lock, prewrite writes one) allocate
/// nothing for it. Valid as long as the spans it borrows.
/// </summary>
/// <remarks>The stored formats are <see cref="Lock"/>'s; this type owns their encoder and parser.</remarks>
public readonly ref struct LockRef
{
    private const int HeaderSize = 2 + 3 * 8;

    private const int PrimaryLengthSize = 4;

    /// <param name="hasShortValue">Whether <paramref name="shortValue"/> is present (it may be empty); false writes format v1.</param>
    public LockRef(LockKind kind, ReadOnlySpan<byte> primary, TimeStamp startTs, ulong ttl, TimeStamp minCommitTs, ReadOnlySpan<byte> shortValue, bool hasShortValue)
    {
        Kind = kind;
        Primary = primary;
        StartTs = startTs;
        Ttl = ttl;
        MinCommitTs = minCommitTs;
        ShortValue = hasShortValue ? shortValue : default;
        HasShortValue = hasShortValue;
    }

    public LockKind Kind { get; }

    public ReadOnlySpan<byte> Primary { get; }

    public TimeStamp StartTs { get; }

    public ulong Ttl { get; }

    public TimeStamp MinCommitTs { get; }

    /// <summary>The short value, empty when there is none (see <see cref="HasShortValue"/>).</summary>
    public ReadOnlySpan<byte> ShortValue { get; }

    public bool HasShortValue { get; }

    /// <summary>Bytes of the stored form.</summary>
    public int EncodedSize => HasShortValue ? HeaderSize + PrimaryLengthSize + Primary.Length + ShortValue.Length : HeaderSize + Primary.Length;

    /// <summary>Writes the stored form to the start of <paramref name="destination"/> (at least <see cref="EncodedSize"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = HasShortValue ? Lock.ShortValueFormatVersion : Lock.FormatVersion;
        destination[1] = (byte)Kind;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], StartTs.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[10..], Ttl);
        BinaryPrimitives.WriteUInt64BigEndian(destination[18..], MinCommitTs.Value);
        if (!HasShortValue)
        {
            Primary.CopyTo(destination[HeaderSize..]);
            return;
        }

        BinaryPrimitives.WriteInt32BigEndian(destination[HeaderSize..], Primary.Length);
        Primary.CopyTo(destination[(HeaderSize + PrimaryLengthSize)..]);
        ShortValue.CopyTo(destination[(HeaderSize + PrimaryLengthSize + Primary.Length)..]);
    }

    /// <summary>Reads a stored lock in place; false when the bytes are not a v1 or v2 lock.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out LockRef parsed)
    {
        parsed = default;
        if (bytes.Length < HeaderSize || !Enum.IsDefined((LockKind)bytes[1]))
        {
            return false;
        }

        ReadOnlySpan<byte> primary;
        ReadOnlySpan<byte> shortValue = default;
        switch (bytes[0])
        {
            case Lock.FormatVersion:
                primary = bytes[HeaderSize..];
                break;
            case Lock.ShortValueFormatVersion when bytes.Length >= HeaderSize + PrimaryLengthSize:
                var rest = bytes[(HeaderSize + PrimaryLengthSize)..];
                int primaryLength = BinaryPrimitives.ReadInt32BigEndian(bytes[HeaderSize..]);
                if (primaryLength < 0 || primaryLength > rest.Length)
                {
                    return false;
                }

                primary = rest[..primaryLength];
                shortValue = rest[primaryLength..];
                break;
            default:
                return false;
        }

        parsed = new LockRef(
            (LockKind)bytes[1],
            primary,
            BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[10..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[18..]),
            shortValue,
            bytes[0] == Lock.ShortValueFormatVersion);
        return true;
    }

    /// <summary>Reads a lock from CF lock in place; corrupt bytes there are a broken invariant.</summary>
    public static LockRef Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out var parsed) ? parsed : throw new InvalidDataException($"corrupt lock record of {bytes.Length} bytes");

    /// <summary>An owned copy.</summary>
    public Lock ToLock() =>
        new(Kind, Primary.ToArray(), StartTs, Ttl, MinCommitTs, HasShortValue ? ShortValue.ToArray() : null);
}

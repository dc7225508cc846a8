using System.Buffers.Binary;

namespace TinyKv.Transactions.Codec;

/// <summary>
/// Key layout of the MVCC column families (TiKV's <c>Key</c>). An <em>encoded key</em> is the
/// <see cref="MemComparable"/> encoding of a user key; CF <c>lock</c> is keyed by it. CF
/// <c>default</c> and CF <c>write</c> append a timestamp as 8 big-endian bytes of its bitwise
/// complement, so the versions of one user key are adjacent and sort newest first.
/// </summary>
/// <remarks>Format v1. Layout: <c>memcomparable(user key) ‖ BE64(~ts)</c>.</remarks>
public static class MvccKey
{
    public const int TimeStampSize = 8;

    /// <summary>
    /// Bytes of stack scratch the hot paths give <see cref="Encode(ReadOnlySpan{byte}, Span{byte})"/>
    /// and <see cref="AppendTs(ReadOnlySpan{byte}, TimeStamp, Span{byte})"/>: encoded keys up to this
    /// size (user keys up to 104 bytes with a timestamp) cost no allocation; longer ones go to the heap.
    /// </summary>
    public const int ScratchSize = 128;

    /// <summary>The encoded key (no timestamp) of <paramref name="userKey"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> userKey) => MemComparable.Encode(userKey);

    /// <summary>
    /// The encoded key of <paramref name="userKey"/>, written into <paramref name="scratch"/> when it
    /// fits (the result is then a slice of it), else into a new array.
    /// </summary>
    public static ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> userKey, Span<byte> scratch)
    {
        int length = MemComparable.EncodedLength(userKey.Length);
        if (length > scratch.Length)
        {
            return Encode(userKey);
        }

        MemComparable.Encode(userKey, scratch);
        return scratch[..length];
    }

    /// <summary>The versioned key of <paramref name="userKey"/> at <paramref name="ts"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> userKey, TimeStamp ts)
    {
        byte[] key = new byte[MemComparable.EncodedLength(userKey.Length) + TimeStampSize];
        int length = MemComparable.Encode(userKey, key);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(length), ~ts.Value);
        return key;
    }

    /// <summary>The versioned key of an already encoded key at <paramref name="ts"/>.</summary>
    public static byte[] AppendTs(ReadOnlySpan<byte> encodedKey, TimeStamp ts)
    {
        byte[] key = new byte[encodedKey.Length + TimeStampSize];
        encodedKey.CopyTo(key);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(encodedKey.Length), ~ts.Value);
        return key;
    }

    /// <summary>
    /// The versioned key of an already encoded key at <paramref name="ts"/>, written into
    /// <paramref name="scratch"/> when it fits (the result is then a slice of it), else into a new array.
    /// </summary>
    public static ReadOnlySpan<byte> AppendTs(ReadOnlySpan<byte> encodedKey, TimeStamp ts, Span<byte> scratch)
    {
        int length = encodedKey.Length + TimeStampSize;
        if (length > scratch.Length)
        {
            return AppendTs(encodedKey, ts);
        }

        encodedKey.CopyTo(scratch);
        BinaryPrimitives.WriteUInt64BigEndian(scratch[encodedKey.Length..], ~ts.Value);
        return scratch[..length];
    }

    /// <summary>Splits a versioned key into its encoded key and timestamp; false when it is too short to hold a timestamp.</summary>
    public static bool TrySplitTs(ReadOnlySpan<byte> versionedKey, out ReadOnlySpan<byte> encodedKey, out TimeStamp ts)
    {
        if (versionedKey.Length < TimeStampSize)
        {
            encodedKey = default;
            ts = default;
            return false;
        }

        encodedKey = versionedKey[..^TimeStampSize];
        ts = new TimeStamp(~BinaryPrimitives.ReadUInt64BigEndian(versionedKey[^TimeStampSize..]));
        return true;
    }

    /// <summary>The encoded key part of a versioned key; throws when the key is corrupt (a broken invariant of our own CFs).</summary>
    public static ReadOnlySpan<byte> TruncateTs(ReadOnlySpan<byte> versionedKey) =>
        TrySplitTs(versionedKey, out var encoded, out _)
            ? encoded
            : throw new InvalidDataException($"versioned key of {versionedKey.Length} bytes has no timestamp");

    /// <summary>The timestamp of a versioned key; throws when the key is corrupt.</summary>
    public static TimeStamp DecodeTs(ReadOnlySpan<byte> versionedKey) =>
        TrySplitTs(versionedKey, out _, out var ts)
            ? ts
            : throw new InvalidDataException($"versioned key of {versionedKey.Length} bytes has no timestamp");

    /// <summary>The user key of an encoded key (with or without a timestamp after it).</summary>
    public static byte[] DecodeUserKey(ReadOnlySpan<byte> encodedKey) =>
        MemComparable.TryDecode(encodedKey, out byte[] raw, out _)
            ? raw
            : throw new InvalidDataException("malformed memcomparable key");

    /// <summary>
    /// The smallest key above every versioned key of <paramref name="encodedKey"/> and below the
    /// next encoded key: the last byte of an encoding is a marker below 0xFF, so adding one to it
    /// skips exactly this key's versions.
    /// </summary>
    public static byte[] VersionsEnd(ReadOnlySpan<byte> encodedKey)
    {
        byte[] end = encodedKey.ToArray();
        end[^1]++;
        return end;
    }
}

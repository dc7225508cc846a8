namespace TinyKv.Transactions.Codec;

/// <summary>
/// TiKV's memcomparable byte encoding (<c>tikv_util::codec::bytes</c>, ascending): the input is
/// cut into groups of <see cref="GroupSize"/> bytes, the last one padded with zeros, and each group
/// is followed by a marker <c>0xFF − pad</c>. Encoded strings compare, byte by byte, exactly as the
/// raw strings do, and no encoding is a prefix of another, so a timestamp may follow it.
/// </summary>
/// <remarks>Format v1: part of the on-disk key layout of every MVCC column family; never change.</remarks>
public static class MemComparable
{
    public const int GroupSize = 8;

    private const byte Marker = 0xFF;
    private const int EncodedGroupSize = GroupSize + 1;

    /// <summary>Bytes needed to encode <paramref name="length"/> raw bytes.</summary>
    public static int EncodedLength(int length) => (length / GroupSize + 1) * EncodedGroupSize;

    /// <summary>Writes the encoding of <paramref name="raw"/> to the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0;
        int index = 0;
        while (true)
        {
            int remaining = raw.Length - index;
            var group = destination.Slice(written, EncodedGroupSize);
            if (remaining >= GroupSize)
            {
                raw.Slice(index, GroupSize).CopyTo(group);
                group[GroupSize] = Marker;
                index += GroupSize;
                written += EncodedGroupSize;
                continue;
            }

            raw[index..].CopyTo(group);
            group[remaining..GroupSize].Clear();
            group[GroupSize] = (byte)(Marker - (GroupSize - remaining));
            return written + EncodedGroupSize;
        }
    }

    public static byte[] Encode(ReadOnlySpan<byte> raw)
    {
        byte[] encoded = new byte[EncodedLength(raw.Length)];
        Encode(raw, encoded);
        return encoded;
    }

    /// <summary>
    /// Decodes one encoded string at the start of <paramref name="encoded"/>. Returns false (and
    /// nothing) when the input is truncated or malformed: bad marker or non-zero padding.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out byte[] raw, out int consumed)
    {
        raw = [];
        consumed = EncodedPrefixLength(encoded);
        if (consumed < 0)
        {
            consumed = 0;
            return false;
        }

        var last = encoded.Slice(consumed - EncodedGroupSize, EncodedGroupSize);
        int pad = Marker - last[GroupSize];
        if (pad > GroupSize || last.Slice(GroupSize - pad, pad).ContainsAnyExcept((byte)0))
        {
            consumed = 0;
            return false;
        }

        int groups = consumed / EncodedGroupSize;
        raw = new byte[(groups * GroupSize) - pad];
        for (int g = 0; g < groups; g++)
        {
            int length = g == groups - 1 ? GroupSize - pad : GroupSize;
            encoded.Slice(g * EncodedGroupSize, length).CopyTo(raw.AsSpan(g * GroupSize));
        }

        return true;
    }

    /// <summary>
    /// Length of the encoded string at the start of <paramref name="encoded"/>, found from the
    /// markers alone, or -1 when it is truncated.
    /// </summary>
    public static int EncodedPrefixLength(ReadOnlySpan<byte> encoded)
    {
        for (int offset = 0; offset + EncodedGroupSize <= encoded.Length; offset += EncodedGroupSize)
        {
            if (encoded[offset + GroupSize] != Marker)
            {
                return offset + EncodedGroupSize;
            }
        }

        return -1;
    }
}

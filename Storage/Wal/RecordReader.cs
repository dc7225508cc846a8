using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Wal;

/// <summary>
/// Decodes the payload of one log record. Every read checks bounds and throws
/// <see cref="InvalidDataException"/> on a short or malformed payload: the record passed its
/// checksum, so a decode failure means a format bug or a version mismatch, never a torn write.
/// </summary>
internal ref struct RecordReader(ReadOnlySpan<byte> payload)
{
    private ReadOnlySpan<byte> _rest = payload;

    public readonly bool IsEmpty => _rest.IsEmpty;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_rest.IsEmpty)
        {
            ThrowShort();
        }

        byte b = _rest[0];
        _rest = _rest[1..];
        return b;
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (!_rest.IsEmpty && _rest[0] < 0x80)
        {
            byte b = _rest[0];
            _rest = _rest[1..];
            return b;
        }

        return ReadLongVarint();
    }

    /// <summary>Reads a varint of more than one byte (or throws on a short payload).</summary>
    private ulong ReadLongVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint longer than 64 bits");
    }

    /// <summary>Reads a varint length and that many bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)_rest.Length)
        {
            throw new InvalidDataException($"byte string of {length} bytes overruns the record");
        }

        return Take((int)length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            ThrowShort();
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }

    [DoesNotReturn]
    private static void ThrowShort() => throw new InvalidDataException("record payload is shorter than its fields");
}

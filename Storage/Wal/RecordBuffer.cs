using System.Buffers.Binary;

namespace TinyKv.Storage.Wal;

/// <summary>
/// A growable byte buffer that encodes log records: little-endian integers, LEB128 varints and
/// framed records (<see cref="BeginRecord"/> / <see cref="EndRecord"/>). Reused across writes so
/// the steady state allocates nothing.
/// </summary>
internal sealed class RecordBuffer(int initialCapacity = 64 * 1024)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Reserves the frame header of a record; returns its start for <see cref="EndRecord"/>.</summary>
    public int BeginRecord()
    {
        int start = Length;
        Reserve(LogFormat.RecordHeaderSize).Clear();
        Length += LogFormat.RecordHeaderSize;
        return start;
    }

    /// <summary>Fills the frame header (payload length, CRC-32C of the payload) of the record begun at <paramref name="start"/>.</summary>
    public void EndRecord(int start)
    {
        int payloadStart = start + LogFormat.RecordHeaderSize;
        var payload = _buffer.AsSpan(payloadStart, Length - payloadStart);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start + 4), Crc32C.Compute(payload));
    }

    public void WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        Length++;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        Length += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        Length += 8;
    }

    public void WriteVarint(ulong value)
    {
        var span = Reserve(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Length += i;
    }

    /// <summary>Writes a varint length followed by the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
        Length += bytes.Length;
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        return _buffer.AsSpan(Length, count);
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace TinyKv.Storage.Wal;

internal sealed partial class SegmentLog
{
    /// <summary>How far a segment is valid; <see cref="Failure"/> says why it stopped early, or is null for a clean end.</summary>
    private readonly record struct SegmentScan(long ValidEnd, string? Failure);

    /// <summary>Validates one segment and feeds its records to <paramref name="visitor"/>, stopping at the first invalid one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SegmentScan ScanSegment(string path, long number, LogRecordVisitor visitor)
    {
        using var reader = new SegmentReader(path);
        if (!reader.TryRead(0, LogFormat.SegmentHeaderSize, out var header))
        {
            return new SegmentScan(0, "segment header is truncated");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        long headerNumber = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (magic != LogFormat.Magic || headerNumber != number)
        {
            return new SegmentScan(0, "segment header is corrupt");
        }

        if (version != LogFormat.Version)
        {
            throw new InvalidDataException($"{path}: log format version {version} is not supported (this build reads version {LogFormat.Version})");
        }

        long offset = LogFormat.SegmentHeaderSize;
        while (reader.TryRead(offset, LogFormat.RecordHeaderSize, out var recordHeader))
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader);
            if (length == 0)
            {
                return new SegmentScan(offset, null);
            }

            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader[4..]);
            long payloadStart = offset + LogFormat.RecordHeaderSize;
            if (length > int.MaxValue || !reader.TryRead(payloadStart, (int)length, out var payload))
            {
                return new SegmentScan(offset, "record is truncated");
            }

            if (Crc32C.Compute(payload) != crc)
            {
                return new SegmentScan(offset, "checksum mismatch");
            }

            if (!visitor(payload))
            {
                return new SegmentScan(offset, "record out of sequence");
            }

            offset = payloadStart + length;
        }

        return new SegmentScan(offset, null);
    }
}

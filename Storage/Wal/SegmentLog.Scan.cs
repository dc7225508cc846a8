using System.Buffers.Binary;

namespace TinyKv.Storage.Wal;

internal sealed partial class SegmentLog
{
    /// <summary>How far a segment is valid; <see cref="Failure"/> says why it stopped early, or is null for a clean end.</summary>
    private readonly record struct SegmentScan(long ValidEnd, string? Failure);

    /// <summary>Validates one segment and feeds its records to <paramref name="visitor"/>, stopping at the first invalid one.</summary>
    private static SegmentScan ScanSegment(string path, long number, LogRecordVisitor visitor)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < LogFormat.SegmentHeaderSize)
        {
            return new SegmentScan(0, "segment header is truncated");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        long headerNumber = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (magic != LogFormat.Magic || headerNumber != number)
        {
            return new SegmentScan(0, "segment header is corrupt");
        }

        if (version != LogFormat.Version)
        {
            throw new InvalidDataException($"{path}: log format version {version} is not supported (this build reads version {LogFormat.Version})");
        }

        long offset = LogFormat.SegmentHeaderSize;
        while (offset + LogFormat.RecordHeaderSize <= bytes.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));
            if (length == 0)
            {
                return new SegmentScan(offset, null);
            }

            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset + 4));
            long payloadStart = offset + LogFormat.RecordHeaderSize;
            if (payloadStart + length > bytes.Length)
            {
                return new SegmentScan(offset, "record is truncated");
            }

            var payload = bytes.AsSpan((int)payloadStart, (int)length);
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

namespace TinyKv.Storage.Wal;

/// <summary>
/// The on-disk format of a segmented log (Storage/README.md, "On-disk format"), in one place.
/// </summary>
/// <remarks>
/// A log is a directory of segment files <c>{prefix}-{number:D10}.log</c>. A segment starts with
/// a 16-byte header: magic <c>TKVL</c>, the format version (u32) and the segment number (u64), all
/// little-endian. Records follow back to back: payload length (u32), CRC-32C of the payload (u32),
/// payload. A length of zero (the preallocated, never written part of a segment) or the end of the
/// file ends the segment. Records never span segments.
/// </remarks>
internal static class LogFormat
{
    public const uint Magic = 0x4C564B54; // "TKVL" read as a little-endian u32

    /// <summary>Version 1: the framing above. Bump on any change to framing or segment header.</summary>
    public const uint Version = 1;

    public const int SegmentHeaderSize = 16;

    public const int RecordHeaderSize = 8;

    public static string SegmentFileName(string prefix, long number) => $"{prefix}-{number:D10}.log";

    /// <summary>Parses a segment number from a file name written by <see cref="SegmentFileName"/>.</summary>
    public static bool TryParseSegmentNumber(string prefix, string fileName, out long number)
    {
        number = 0;
        string head = prefix + "-";
        return fileName.StartsWith(head, StringComparison.Ordinal)
            && fileName.EndsWith(".log", StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(head.Length, fileName.Length - head.Length - 4), out number);
    }
}

using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace TinyKv.Storage.Wal;

/// <summary>Sees each valid record of a log in order during recovery; returns false to end the valid prefix there.</summary>
internal delegate bool LogRecordVisitor(ReadOnlySpan<byte> payload);

/// <summary>
/// An append-only log of checksummed records in preallocated segment files, made durable with
/// fdatasync. The WAL of the KV engine and the log of the raft-log engine. Not thread-safe: one
/// writer (the engine's write loop) owns it.
/// </summary>
/// <remarks>
/// Preallocation keeps the file size fixed while a segment fills, so fdatasync has no size change
/// to journal. Invariant: every segment but the last ends cleanly, and the last is valid up to
/// <see cref="_offset"/> followed by zeros; <see cref="Open"/> restores it after a crash.
/// </remarks>
internal sealed partial class SegmentLog : IDisposable
{
    private readonly string _directory;
    private readonly string _prefix;
    private readonly long _segmentSize;
    private readonly bool _fsync;
    private readonly List<long> _segments;
    private SafeFileHandle _handle;
    private long _offset;
    private long _capacity;
    private long _syncedOffset;
    private bool _disposed;

    private SegmentLog(string directory, string prefix, long segmentSize, bool fsync, List<long> segments, SafeFileHandle handle, long offset, long capacity)
    {
        _fsync = fsync;
        _directory = directory;
        _prefix = prefix;
        _segmentSize = segmentSize;
        _segments = segments;
        _handle = handle;
        _offset = offset;
        _capacity = capacity;
        _syncedOffset = offset;
    }

    /// <summary>Number of the segment appends go to.</summary>
    public long CurrentSegment => _segments[^1];

    /// <summary>Bytes written to the segments still on disk (headers and records).</summary>
    public long TotalBytes => ((_segments.Count - 1) * _segmentSize) + _offset;

    /// <summary>Bytes appended since the log was opened or last synced.</summary>
    public long UnsyncedBytes { get; private set; }

    /// <summary>
    /// Opens (creating if needed) the log <paramref name="prefix"/> in <paramref name="directory"/>,
    /// calling <paramref name="visitor"/> with every valid record in order. A torn, corrupt or
    /// rejected record ends the valid prefix: it and everything after it are erased, with a warning.
    /// <paramref name="fsync"/> false skips every fsync (tests that simulate crashes in process only).
    /// </summary>
    public static SegmentLog Open(string directory, string prefix, long segmentSize, ILogger logger, LogRecordVisitor visitor, bool fsync = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 4096);
        Directory.CreateDirectory(directory);
        var numbers = Directory.EnumerateFiles(directory)
            .Select(p => LogFormat.TryParseSegmentNumber(prefix, Path.GetFileName(p), out long n) ? n : -1)
            .Where(n => n >= 0)
            .Order()
            .ToList();

        var kept = new List<long>();
        long endOffset = 0;
        for (int i = 0; i < numbers.Count; i++)
        {
            string path = Path.Combine(directory, LogFormat.SegmentFileName(prefix, numbers[i]));
            var scan = ScanSegment(path, numbers[i], visitor);
            if (scan.Failure is null)
            {
                kept.Add(numbers[i]);
                endOffset = scan.ValidEnd;
                continue;
            }

            LogTailDiscarded(logger, path, scan.ValidEnd, scan.Failure, numbers.Count - i - 1);
            if (scan.ValidEnd >= LogFormat.SegmentHeaderSize)
            {
                EraseTail(path, scan.ValidEnd);
                kept.Add(numbers[i]);
                endOffset = scan.ValidEnd;
            }
            else
            {
                File.Delete(path);
            }

            foreach (long later in numbers.Skip(i + 1))
            {
                File.Delete(Path.Combine(directory, LogFormat.SegmentFileName(prefix, later)));
            }

            FileSync.SyncDirectory(directory);
            break;
        }

        if (kept.Count == 0)
        {
            long first = numbers.Count == 0 ? 1 : numbers[^1] + 1;
            var handle = CreateSegment(directory, prefix, first, segmentSize, fsync);
            return new SegmentLog(directory, prefix, segmentSize, fsync, [first], handle, LogFormat.SegmentHeaderSize, segmentSize);
        }

        string lastPath = Path.Combine(directory, LogFormat.SegmentFileName(prefix, kept[^1]));
        var last = File.OpenHandle(lastPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long capacity = RandomAccess.GetLength(last);
        return new SegmentLog(directory, prefix, segmentSize, fsync, kept, last, endOffset, capacity);
    }

    /// <summary>Appends framed records (see <see cref="RecordBuffer"/>); starts a new segment when this one is full.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_offset + records.Length > _capacity && _offset > LogFormat.SegmentHeaderSize)
        {
            Roll(records.Length);
        }
        else if (_offset + records.Length > _capacity)
        {
            RandomAccess.SetLength(_handle, _offset + records.Length);
            _capacity = _offset + records.Length;
        }

        RandomAccess.Write(_handle, records, _offset);
        _offset += records.Length;
        UnsyncedBytes += records.Length;
    }

    /// <summary>Makes every appended record durable (one fdatasync).</summary>
    public void Sync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fsync)
        {
            FileSync.DataSync(_handle);
        }

        UnsyncedBytes = 0;
        _syncedOffset = _offset;
    }

    /// <summary>Syncs and starts a new segment, so that later records can outlive everything before them.</summary>
    public void Roll() => Roll(0);

    /// <summary>Deletes every segment numbered below <paramref name="number"/> (their records are superseded).</summary>
    public void DeleteSegmentsBefore(long number)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int removed = 0;
        while (_segments.Count > 1 && _segments[0] < number)
        {
            File.Delete(Path.Combine(_directory, LogFormat.SegmentFileName(_prefix, _segments[0])));
            _segments.RemoveAt(0);
            removed++;
        }

        if (removed > 0 && _fsync)
        {
            FileSync.SyncDirectory(_directory);
        }
    }

    /// <summary>
    /// Test hook: leaves the files as a power cut could, then closes. Keeps a random prefix of the
    /// bytes written since the last sync, sometimes with one byte garbled, and zeros the rest.
    /// </summary>
    internal void SimulateCrash(Random random)
    {
        long keep = random.NextInt64(0, _offset - _syncedOffset + 1);
        long end = _syncedOffset + keep;
        RandomAccess.SetLength(_handle, end);
        RandomAccess.SetLength(_handle, _capacity);
        if (keep > 0 && random.Next(4) == 0)
        {
            RandomAccess.Write(_handle, [(byte)random.Next(256)], _syncedOffset + random.NextInt64(keep));
        }

        Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _handle.Dispose();
    }

    private void Roll(int nextRecordLength)
    {
        if (_fsync)
        {
            FileSync.DataSync(_handle);
        }

        _handle.Dispose();
        long next = _segments[^1] + 1;
        long capacity = Math.Max(_segmentSize, LogFormat.SegmentHeaderSize + (long)nextRecordLength);
        _handle = CreateSegment(_directory, _prefix, next, capacity, _fsync);
        _segments.Add(next);
        _offset = LogFormat.SegmentHeaderSize;
        _syncedOffset = _offset;
        _capacity = capacity;
        UnsyncedBytes = 0;
    }

    private static SafeFileHandle CreateSegment(string directory, string prefix, long number, long capacity, bool fsync)
    {
        string path = Path.Combine(directory, LogFormat.SegmentFileName(prefix, number));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, capacity);

        // .NET preallocates with FALLOC_FL_KEEP_SIZE; the length must be set too, or every append
        // grows the file and each fdatasync journals a size change (measured about 10x slower).
        if (RandomAccess.GetLength(handle) < capacity)
        {
            RandomAccess.SetLength(handle, capacity);
        }

        Span<byte> header = stackalloc byte[LogFormat.SegmentHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, LogFormat.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], LogFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], number);
        RandomAccess.Write(handle, header, 0);
        if (fsync)
        {
            FileSync.DataSync(handle);
            FileSync.SyncDirectory(directory);
        }

        return handle;
    }

    /// <summary>Replaces everything from <paramref name="validEnd"/> to the end of the file with zeros, durably.</summary>
    private static void EraseTail(string path, long validEnd)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        long length = RandomAccess.GetLength(handle);
        RandomAccess.SetLength(handle, validEnd);
        RandomAccess.SetLength(handle, length);
        FileSync.DataSync(handle);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Log segment {Path}: invalid record at offset {Offset} ({Reason}); recovered the valid prefix before it and discarded the rest of the segment and {LaterSegments} later segment(s)")]
    private static partial void LogTailDiscarded(ILogger logger, string path, long offset, string reason, int laterSegments);
}

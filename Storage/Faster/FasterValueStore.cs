using System.Collections.Concurrent;
using FASTER.core;

namespace TinyKv.Storage.Faster;

/// <summary>
/// The point store for values that are not inline in the index: a FasterKV keyed by a 64-bit
/// value id, whose hybrid log keeps the recent tail in memory (<c>MemorySizeBits</c>) and spills
/// the rest to its device, so values may total far more than memory.
/// </summary>
/// <remarks>
/// Durability does not come from here: the store is rebuilt from the WAL on open, so its device
/// is scratch space, deleted on close. One writer session (the write loop, or its apply thread
/// while the loop waits in fdatasync: one thread at a time) upserts and deletes;
/// readers rent pooled sessions, since a FASTER session serves one thread at a time.
/// </remarks>
internal sealed class FasterValueStore : IDisposable
{
    private readonly IDevice _device;
    private readonly FasterKV<long, SpanByte> _store;
    private readonly ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> _writer;
    private readonly ConcurrentBag<ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions>> _readers = [];
    private const int ChunkBits = 20;
    private readonly int _chunkSize;
    private long _liveBytes;
    private long _compactedUntil;
    private bool _disposed;

    public FasterValueStore(string directory, int memorySizeBits, int pageSizeBits)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        _chunkSize = 1 << (pageSizeBits - 2);
        _device = Devices.CreateLogDevice(Path.Combine(directory, "values.log"), preallocateFile: false, deleteOnClose: true);
        _store = new FasterKV<long, SpanByte>(
            1L << Math.Clamp(memorySizeBits - 10, 10, 16),
            new LogSettings
            {
                LogDevice = _device,
                MemorySizeBits = memorySizeBits,
                PageSizeBits = pageSizeBits,
                SegmentSizeBits = Math.Max(memorySizeBits, 26),
                MutableFraction = 0.1,
            });
        _writer = NewSession();
    }

    /// <summary>Bytes of values currently stored (not counting superseded records not yet compacted).</summary>
    public long LiveBytes => Volatile.Read(ref _liveBytes);

    /// <summary>Bytes the hybrid log spans, on disk and in memory.</summary>
    public long LogBytes => _store.Log.TailAddress - _store.Log.BeginAddress;

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="id"/>. A FASTER record must fit in a
    /// page, so the value is cut into chunks of a quarter page, keyed (id &lt;&lt; 20) | chunk. Writer only.
    /// </summary>
    public unsafe void Put(long id, ReadOnlySpan<byte> value)
    {
        int chunks = ChunkCount(value.Length);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            var part = value.Slice(chunk * _chunkSize, Math.Min(_chunkSize, value.Length - (chunk * _chunkSize)));
            long key = (id << ChunkBits) | (long)chunk;
            fixed (byte* p = part)
            {
                var sb = SpanByte.FromPointer(p, part.Length);
                if (_writer.Upsert(ref key, ref sb).IsPending)
                {
                    _writer.CompletePending(wait: true);
                }
            }
        }

        Volatile.Write(ref _liveBytes, _liveBytes + value.Length);
    }

    /// <summary>Forgets the value of <paramref name="length"/> bytes under <paramref name="id"/>. Writer only.</summary>
    public void Delete(long id, int length)
    {
        int chunks = ChunkCount(length);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            long key = (id << ChunkBits) | (long)chunk;
            if (_writer.Delete(ref key).IsPending)
            {
                _writer.CompletePending(wait: true);
            }
        }

        Volatile.Write(ref _liveBytes, _liveBytes - length);
    }

    /// <summary>
    /// Copies the log's live records forward and drops the prefix before them when superseded
    /// records fill more than half of the log. Writer only.
    /// </summary>
    public void CompactIfWasteful(long minimumLogBytes)
    {
        if (!CompactionDue(minimumLogBytes))
        {
            return;
        }

        long until = _store.Log.SafeReadOnlyAddress;
        _compactedUntil = _writer.Compact(until, CompactionType.Scan);
        _store.Log.ShiftBeginAddress(_compactedUntil, truncateLog: true);
    }

    /// <summary>
    /// Whether <see cref="CompactIfWasteful"/> would compact: the log spans at least
    /// <paramref name="minimumLogBytes"/> and twice the live bytes, and part of it is read-only
    /// and not compacted yet.
    /// </summary>
    public bool CompactionDue(long minimumLogBytes)
    {
        long logBytes = LogBytes;
        return logBytes >= minimumLogBytes && logBytes >= 2 * LiveBytes
            && _store.Log.SafeReadOnlyAddress > Math.Max(_compactedUntil, _store.Log.BeginAddress);
    }

    /// <summary>The value of <paramref name="length"/> bytes under <paramref name="id"/>. Thread-safe.</summary>
    public byte[] Get(long id, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var session))
        {
            session = NewSession();
        }

        try
        {
            int chunks = ChunkCount(length);
            if (chunks == 1)
            {
                return ReadChunk(session, id << ChunkBits);
            }

            var value = new byte[length];
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                ReadChunk(session, (id << ChunkBits) | (long)chunk).CopyTo(value, chunk * _chunkSize);
            }

            return value;
        }
        finally
        {
            _readers.Add(session);
        }
    }

    private int ChunkCount(int length) => Math.Max(1, (length + _chunkSize - 1) / _chunkSize);

    private static byte[] ReadChunk(ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> session, long key)
    {
        byte[] output = [];
        SpanByte input = default;
        var status = session.Read(ref key, ref input, ref output);
        if (status.IsPending)
        {
            session.CompletePendingWithOutputs(out var completed, wait: true);
            using (completed)
            {
                while (completed.Next())
                {
                    status = completed.Current.Status;
                    output = completed.Current.Output;
                }
            }
        }

        return status.Found ? output : throw new InvalidOperationException($"value chunk {key} is missing from the value store: the index and the store disagree");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_readers.TryTake(out var session))
        {
            session.Dispose();
        }

        _writer.Dispose();
        _store.Dispose();
        _device.Dispose();
    }

    private ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> NewSession() =>
        _store.For(new ValueFunctions()).NewSession<ValueFunctions>();

    /// <summary>Reads copy the stored bytes into a fresh array; writes use FASTER's SpanByte copy.</summary>
    private sealed class ValueFunctions : SpanByteFunctions<long, byte[], Empty>
    {
        public override bool SingleReader(ref long key, ref SpanByte input, ref SpanByte value, ref byte[] dst, ref ReadInfo readInfo)
        {
            dst = value.ToByteArray();
            return true;
        }

        public override bool ConcurrentReader(ref long key, ref SpanByte input, ref SpanByte value, ref byte[] dst, ref ReadInfo readInfo)
        {
            dst = value.ToByteArray();
            return true;
        }
    }
}

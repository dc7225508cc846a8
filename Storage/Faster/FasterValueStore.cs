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
    private const int ChunkBits = 20;
    private readonly string _directory;
    private readonly int _memorySizeBits;
    private readonly int _pageSizeBits;
    private readonly int _chunkSize;
    private Backend? _backend;
    private long _liveBytes;
    private long _compactedUntil;

    /// <summary>
    /// Odd while a compaction runs, bumped before and after it (a sequence lock). A read that races a
    /// compaction may find a record's old address already below the log's new begin address, and
    /// FASTER answers "not found" although the record lives on at the tail: <see cref="Get"/> retries a
    /// miss whenever this count was odd or changed during the read.
    /// </summary>
    private long _compactions;
    private bool _disposed;

    /// <summary>
    /// A store in <paramref name="directory"/>. FASTER itself (its hash index, first pages and
    /// device, about 16 MB and several milliseconds) is created by the first <see cref="Put"/>:
    /// an engine whose values all stay inline never pays for it.
    /// </summary>
    public FasterValueStore(string directory, int memorySizeBits, int pageSizeBits)
    {
        _directory = directory;
        _memorySizeBits = memorySizeBits;
        _pageSizeBits = pageSizeBits;
        _chunkSize = 1 << (pageSizeBits - 2);
    }

    /// <summary>Bytes of values currently stored (not counting superseded records not yet compacted).</summary>
    public long LiveBytes => Volatile.Read(ref _liveBytes);

    /// <summary>Bytes the hybrid log spans, on disk and in memory.</summary>
    public long LogBytes => Volatile.Read(ref _backend) is { } backend ? backend.Store.Log.TailAddress - backend.Store.Log.BeginAddress : 0;

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="id"/>. A FASTER record must fit in a
    /// page, so the value is cut into chunks of a quarter page, keyed (id &lt;&lt; 20) | chunk. Writer only.
    /// </summary>
    public unsafe void Put(long id, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var writer = (_backend ??= CreateBackend()).Writer;
        int chunks = ChunkCount(value.Length);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            var part = value.Slice(chunk * _chunkSize, Math.Min(_chunkSize, value.Length - (chunk * _chunkSize)));
            long key = (id << ChunkBits) | (long)chunk;
            fixed (byte* p = part)
            {
                var sb = SpanByte.FromPointer(p, part.Length);
                if (writer.Upsert(ref key, ref sb).IsPending)
                {
                    writer.CompletePending(wait: true);
                }
            }
        }

        Volatile.Write(ref _liveBytes, _liveBytes + value.Length);
    }

    /// <summary>Forgets the value of <paramref name="length"/> bytes under <paramref name="id"/>. Writer only.</summary>
    public void Delete(long id, int length)
    {
        var writer = _backend!.Writer;
        int chunks = ChunkCount(length);
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            long key = (id << ChunkBits) | (long)chunk;
            if (writer.Delete(ref key).IsPending)
            {
                writer.CompletePending(wait: true);
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

        var backend = _backend!;
        long until = backend.Store.Log.SafeReadOnlyAddress;
        Interlocked.Increment(ref _compactions);
        try
        {
            _compactedUntil = backend.Writer.Compact(until, CompactionType.Scan);
            backend.Store.Log.ShiftBeginAddress(_compactedUntil, truncateLog: true);
        }
        finally
        {
            Interlocked.Increment(ref _compactions);
        }
    }

    /// <summary>
    /// Whether <see cref="CompactIfWasteful"/> would compact: the log spans at least
    /// <paramref name="minimumLogBytes"/> and twice the live bytes, and part of it is read-only
    /// and not compacted yet.
    /// </summary>
    public bool CompactionDue(long minimumLogBytes)
    {
        long logBytes = LogBytes;
        return _backend is { } backend && logBytes >= minimumLogBytes && logBytes >= 2 * LiveBytes
            && backend.Store.Log.SafeReadOnlyAddress > Math.Max(_compactedUntil, backend.Store.Log.BeginAddress);
    }

    /// <summary>The value of <paramref name="length"/> bytes under <paramref name="id"/>. Thread-safe.</summary>
    public byte[] Get(long id, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var backend = Volatile.Read(ref _backend) ?? throw new InvalidOperationException($"value {id} is missing: the value store is empty, the index and the store disagree");
        if (!backend.Readers.TryTake(out var session))
        {
            session = backend.NewSession();
        }

        try
        {
            while (true)
            {
                long compactions = Volatile.Read(ref _compactions);
                if (TryRead(session, id, length) is { } value)
                {
                    return value;
                }

                if ((compactions & 1) == 0 && Volatile.Read(ref _compactions) == compactions)
                {
                    throw new InvalidOperationException($"value {id} is missing from the value store: the index and the store disagree");
                }
            }
        }
        finally
        {
            backend.Readers.Add(session);
        }
    }

    /// <summary>The value's chunks read in order, or null as soon as one is not found.</summary>
    private byte[]? TryRead(ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> session, long id, int length)
    {
        int chunks = ChunkCount(length);
        if (chunks == 1)
        {
            return ReadChunk(session, id << ChunkBits);
        }

        var value = new byte[length];
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            if (ReadChunk(session, (id << ChunkBits) | (long)chunk) is not { } part)
            {
                return null;
            }

            part.CopyTo(value, chunk * _chunkSize);
        }

        return value;
    }

    private int ChunkCount(int length) => Math.Max(1, (length + _chunkSize - 1) / _chunkSize);

    /// <summary>One chunk, or null when FASTER does not find it.</summary>
    private static byte[]? ReadChunk(ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> session, long key)
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

        return status.Found ? output : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _backend?.Dispose();
    }

    /// <summary>Creates the FASTER store in a fresh directory (the first <see cref="Put"/>). Writer only.</summary>
    private Backend CreateBackend()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        Directory.CreateDirectory(_directory);
        var device = Devices.CreateLogDevice(Path.Combine(_directory, "values.log"), preallocateFile: false, deleteOnClose: true);
        var store = new FasterKV<long, SpanByte>(
            1L << Math.Clamp(_memorySizeBits - 10, 10, 16),
            new LogSettings
            {
                LogDevice = device,
                MemorySizeBits = _memorySizeBits,
                PageSizeBits = _pageSizeBits,
                SegmentSizeBits = Math.Max(_memorySizeBits, 26),
                MutableFraction = 0.1,
            });
        var backend = new Backend(device, store);
        Volatile.Write(ref _backend, backend);
        return backend;
    }

    /// <summary>The FASTER store, its device, the writer's session and the readers' pooled sessions.</summary>
    private sealed class Backend : IDisposable
    {
        public Backend(IDevice device, FasterKV<long, SpanByte> store)
        {
            Device = device;
            Store = store;
            Writer = NewSession();
        }

        public IDevice Device { get; }

        public FasterKV<long, SpanByte> Store { get; }

        public ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> Writer { get; }

        public ConcurrentBag<ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions>> Readers { get; } = [];

        public ClientSession<long, SpanByte, SpanByte, byte[], Empty, ValueFunctions> NewSession() =>
            Store.For(new ValueFunctions()).NewSession<ValueFunctions>();

        public void Dispose()
        {
            while (Readers.TryTake(out var session))
            {
                session.Dispose();
            }

            Writer.Dispose();
            Store.Dispose();
            Device.Dispose();
        }
    }

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

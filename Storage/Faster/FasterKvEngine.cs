using Microsoft.Extensions.Logging;
using TinyKv.Storage.Index;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Faster;

/// <summary>
/// The durable KV engine: a segmented WAL with group commit for durability, a skip list per
/// column family as the ordered MVCC index (key → version chain by sequence number), and a
/// FasterKV point store for values above <see cref="FasterKvOptions.ValueThreshold"/>.
/// </summary>
/// <remarks>
/// One writer thread owns the WAL, the index structure and the value store's writes: it takes
/// every batch waiting, appends them with one write and at most one fdatasync (group commit),
/// applies them to the index in sequence order and then publishes the new visible sequence.
/// Readers never lock: a snapshot is a sequence number, pinned in <see cref="SnapshotRegistry"/>
/// so reclamation keeps the versions it needs. Recovery replays the WAL (README, "Recovery").
/// </remarks>
public sealed partial class FasterKvEngine : IKvEngine
{
    private const string WalPrefix = "kv-wal";
    private readonly FasterKvOptions _options;
    private readonly ILogger _logger;
    private readonly SnapshotRegistry _snapshots = new();
    private readonly SegmentLog _wal;
    private IOrderedIndex[] _cfs;
    private FasterValueStore _values;
    private ulong _lastSequence;
    private ulong _visibleSequence;
    private long _nextValueId;
    private int _valueStoreGeneration;
    private int _disposed;

    private FasterKvEngine(FasterKvOptions options)
    {
        _options = options;
        _logger = options.Logger;
        string valuesRoot = Path.Combine(options.Directory, "values");
        if (Directory.Exists(valuesRoot))
        {
            Directory.Delete(valuesRoot, recursive: true);
        }

        _cfs = NewReplayIndexes();
        _values = NewValueStore();
        var recovery = new Recovery(this);
        _replayArena = new EntryArena();
        _wal = SegmentLog.Open(Path.Combine(options.Directory, "wal"), WalPrefix, options.WalSegmentSize, _logger, recovery.Visit, options.Fsync);
        _replayArena = null;
        recovery.Finish();
        _visibleSequence = _lastSequence;
        StartWriter();
    }

    /// <summary>Sequence number of the last batch applied.</summary>
    public ulong LastSequence => Volatile.Read(ref _visibleSequence);

    /// <summary>Number of versions waiting for reclamation (for tests and metrics).</summary>
    internal int PendingReclamation => Volatile.Read(ref _pendingReclamationCount);

    /// <summary>Batches committed by their own writer, the queue being idle (for tests and metrics).</summary>
    internal long InlineCommits => _writer!.InlineCommits;

    /// <summary>Bytes of the WAL on disk.</summary>
    internal long WalBytes => _wal.TotalBytes;

    /// <summary>Bytes of live values in the value store, and bytes its log spans (memory and disk).</summary>
    internal (long Live, long Log) ValueStoreBytes => (_values.LiveBytes, _values.LogBytes);

    /// <summary>Opens (creating or recovering) the engine in <see cref="FasterKvOptions.Directory"/>.</summary>
    public static FasterKvEngine Open(FasterKvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.Directory);
        return new FasterKvEngine(options);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer!.Dispose();
        _applier!.Dispose();
        _wal.Dispose();
        _values.Dispose();
    }

    /// <summary>Test hook: stops as if the machine lost power now (see <see cref="SegmentLog.SimulateCrash"/>).</summary>
    internal void SimulateCrash(Random random)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer!.Dispose();
        _applier!.Dispose();
        _wal.SimulateCrash(random);
        _values.Dispose();
    }

    /// <summary>One index per column family, in bulk load until the replay ends (<see cref="IOrderedIndex.EndBulkLoad"/>).</summary>
    private static IOrderedIndex[] NewReplayIndexes() => [.. ColumnFamilies.All.Select(_ => (IOrderedIndex)new SkipList(bulkLoad: true))];

    /// <summary>A fresh value store in its own scratch directory (recovery may hold two while it replays a checkpoint).</summary>
    private FasterValueStore NewValueStore() =>
        new(Path.Combine(_options.Directory, "values", $"{++_valueStoreGeneration}"), _options.ValueMemorySizeBits, _options.ValuePageSizeBits);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private IOrderedIndex Index(ColumnFamily cf) => _cfs[(int)cf];

    /// <summary>The bytes of <paramref name="version"/>'s value (a private copy).</summary>
    private byte[] ReadValue(MvccVersion version) =>
        version.IsInline ? version.InlineValue.ToArray() : _values.Get(version.ValueId, version.Length);
}

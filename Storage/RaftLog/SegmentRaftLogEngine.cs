using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.RaftLog;

/// <summary>
/// The durable raft-log engine: every batch is one checksummed record of a segmented log, written
/// by one thread with group commit (one fdatasync serves every synced batch waiting), and the
/// region logs are kept in memory for reads. Compacted prefixes are reclaimed by rewriting the
/// live logs into a fresh segment and deleting the older ones (raft-engine's rewrite + purge).
/// </summary>
public sealed partial class SegmentRaftLogEngine : IRaftLogEngine
{
    private const string LogPrefix = "raft-log";
    private readonly RaftLogEngineOptions _options;
    private readonly RecordBuffer _buffer = new();
    private readonly SegmentLog _log;
    private readonly GroupCommitQueue<RaftLogBatch> _writer;
    private readonly RaftLogState.PendingBounds _pending = new();

    /// <summary>The batches of the group being committed that validation accepted (writer thread only).</summary>
    private readonly List<RaftLogBatch> _accepted = [];
    private RaftLogState _state = new();
    private ulong _lastSequence;
    private long _bytesAfterRewrite;
    private int _disposed;

    private SegmentRaftLogEngine(RaftLogEngineOptions options)
    {
        _options = options;
        var recovery = new Recovery(this);
        _log = SegmentLog.Open(Path.Combine(options.Directory, "raft"), LogPrefix, options.SegmentSize, options.Logger, recovery.Visit, options.Fsync);
        recovery.Finish();
        _writer = new GroupCommitQueue<RaftLogBatch>("tinykv-raft-writer", options.MaxGroupBatches, CommitGroup, RewriteIfDue, RewriteDue);
    }

    /// <summary>Bytes of the log on disk.</summary>
    internal long LogBytes => _log.TotalBytes;

    /// <summary>Sequence number of the last batch applied (rejected batches take none).</summary>
    internal ulong LastSequence => Volatile.Read(ref _lastSequence);

    public static SegmentRaftLogEngine Open(RaftLogEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.Directory);
        return new SegmentRaftLogEngine(options);
    }

    /// <inheritdoc />
    /// <remarks>
    /// When no group is committing and none is waiting, the batch is committed on the caller's
    /// thread and the task returned has completed: the call may block for one fdatasync.
    /// </remarks>
    public ValueTask WriteAsync(RaftLogBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask(_writer.EnqueueAsync(batch));
    }

    public RaftEntry? GetEntry(ulong regionId, ulong index)
    {
        ThrowIfDisposed();
        return _state.GetEntry(regionId, index);
    }

    public RaftLogFetch FetchEntries(ulong regionId, ulong low, ulong high, long maxBytes, List<RaftEntry> into)
    {
        ThrowIfDisposed();
        return _state.FetchEntries(regionId, low, high, maxBytes, into);
    }

    public ulong FirstIndex(ulong regionId)
    {
        ThrowIfDisposed();
        return _state.FirstIndex(regionId);
    }

    public ulong LastIndex(ulong regionId)
    {
        ThrowIfDisposed();
        return _state.LastIndex(regionId);
    }

    public ulong? Term(ulong regionId, ulong index)
    {
        ThrowIfDisposed();
        return _state.GetEntry(regionId, index)?.Term;
    }

    public RaftState? GetState(ulong regionId)
    {
        ThrowIfDisposed();
        return _state.GetState(regionId);
    }

    public IReadOnlyList<ulong> Regions()
    {
        ThrowIfDisposed();
        return _state.Regions();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer.Dispose();
        _log.Dispose();
    }

    /// <summary>Test hook: stops as if the machine lost power now (see <see cref="SegmentLog.SimulateCrash"/>).</summary>
    internal void SimulateCrash(Random random)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _writer.Dispose();
        _log.SimulateCrash(random);
    }

    /// <summary>
    /// Validates each batch against its predecessors in the group, writes the valid ones as one log
    /// append with at most one fsync, then applies them under one lock. Holder of the commit token
    /// only (the writer thread or an inline leader, <see cref="GroupCommitQueue{T}"/>).
    /// </summary>
    private void CommitGroup(List<GroupCommitQueue<RaftLogBatch>.Pending> group, int start, int count)
    {
        _buffer.Clear();
        _pending.Clear();
        _accepted.Clear();
        bool sync = false;
        ulong sequence = _lastSequence;
        for (int i = start; i < start + count; i++)
        {
            var batch = group[i].Item;
            if (_state.Validate(batch, _pending) is { } error)
            {
                group[i].Rejection = new ArgumentException(error, "batch");
                continue;
            }

            int record = _buffer.BeginRecord();
            _buffer.WriteByte(RaftLogCodec.Batch);
            _buffer.WriteUInt64(++sequence);
            var ops = batch.Ops;
            _buffer.WriteVarint((ulong)ops.Length);
            foreach (ref readonly var op in ops)
            {
                RaftLogCodec.WriteOp(_buffer, op);
            }

            _buffer.EndRecord(record);
            sync |= batch.Sync;
            _accepted.Add(batch);
        }

        _log.Append(_buffer.WrittenSpan);
        if (sync)
        {
            _log.Sync();
        }

        _state.Apply(CollectionsMarshal.AsSpan(_accepted));
        _accepted.Clear();
        Volatile.Write(ref _lastSequence, sequence);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information,
        Message = "Raft-log engine recovered {Batches} batches up to sequence {Sequence} ({Regions} regions) in {ElapsedMs} ms")]
    private static partial void LogRecovered(ILogger logger, long batches, ulong sequence, int regions, long elapsedMs);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning,
        Message = "Raft-log engine ignored an unfinished rewrite at sequence {Sequence} (the process stopped while writing it)")]
    private static partial void LogRewriteAbandoned(ILogger logger, ulong sequence);
}

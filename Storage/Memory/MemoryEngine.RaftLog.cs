using TinyKv.Storage.RaftLog;

namespace TinyKv.Storage.Memory;

/// <summary>The reference raft-log engine: the shared in-memory region logs, nothing persisted.</summary>
public sealed partial class MemoryEngine : IRaftLogEngine
{
    private readonly RaftLogState _raft = new();
    private readonly RaftLogState.PendingBounds _raftPending = new();

    /// <inheritdoc />
    public ValueTask WriteAsync(RaftLogBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            _raftPending.Clear();
            if (_raft.Validate(batch, _raftPending) is { } error)
            {
                throw new ArgumentException(error, nameof(batch));
            }

            _raft.Apply(batch);
        }

        return ValueTask.CompletedTask;
    }

    public RaftEntry? GetEntry(ulong regionId, ulong index)
    {
        ThrowIfDisposed();
        return _raft.GetEntry(regionId, index);
    }

    public RaftLogFetch FetchEntries(ulong regionId, ulong low, ulong high, long maxBytes, List<RaftEntry> into)
    {
        ThrowIfDisposed();
        return _raft.FetchEntries(regionId, low, high, maxBytes, into);
    }

    public ulong FirstIndex(ulong regionId)
    {
        ThrowIfDisposed();
        return _raft.FirstIndex(regionId);
    }

    public ulong LastIndex(ulong regionId)
    {
        ThrowIfDisposed();
        return _raft.LastIndex(regionId);
    }

    public ulong? Term(ulong regionId, ulong index)
    {
        ThrowIfDisposed();
        return _raft.GetEntry(regionId, index)?.Term;
    }

    public RaftState? GetState(ulong regionId)
    {
        ThrowIfDisposed();
        return _raft.GetState(regionId);
    }

    public IReadOnlyList<ulong> Regions()
    {
        ThrowIfDisposed();
        return _raft.Regions();
    }
}

using System.Runtime.CompilerServices;
using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    private const int ParallelApplyOperations = 8;
    private readonly RecordBuffer _walBuffer = new();
    private GroupCommitQueue<WriteBatch>? _writer;
    private ApplyThread? _applier;
    private Action? _applyGroupAction;
    private List<GroupCommitQueue<WriteBatch>.Pending>? _applyGroup;
    private int _applyStart;
    private int _applyCount;

    /// <inheritdoc />
    /// <remarks>
    /// When no group is committing and none is waiting, the batch is committed on the caller's
    /// thread (append, fdatasync if synced, apply, publish) and the task returned has completed:
    /// the call may block for one fdatasync. Otherwise it joins the next group of the writer thread
    /// (<see cref="GroupCommitQueue{T}"/>, "Inline leader").
    /// </remarks>
    public ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask(_writer!.EnqueueAsync(batch));
    }

    private void StartWriter()
    {
        _applyGroupAction = ApplyGroup;
        _applier = new ApplyThread("tinykv-kv-apply");
        _writer = new GroupCommitQueue<WriteBatch>("tinykv-kv-writer", _options.MaxGroupBatches, CommitGroup, AfterCommit, AfterInlineCommit);
    }

    /// <summary>
    /// Appends the batches to the WAL with one write, syncs once if any asks for it, applies them
    /// in order and publishes the new visible sequence. Holder of the commit token only (the writer
    /// thread or an inline leader).
    /// </summary>
    /// <remarks>
    /// A synced group of at least <see cref="ParallelApplyOperations"/> operations (one batch of many
    /// puts counts as much as many batches of one) is applied to the
    /// index by <see cref="ApplyThread"/> while this thread waits in fdatasync: the new versions
    /// carry sequences above the visible one, so no reader sees them before the sync has returned
    /// and the sequence is published. If the sync fails the group fails and the engine stops, so
    /// they are never published. A smaller group is applied in line: waking the other thread
    /// would cost more than its apply.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CommitGroup(List<GroupCommitQueue<WriteBatch>.Pending> group, int start, int count)
    {
        _walBuffer.Clear();
        bool sync = false;
        int operations = 0;
        ulong sequence = _lastSequence;
        for (int i = start; i < start + count; i++)
        {
            EncodeBatch(_walBuffer, ++sequence, group[i].Item);
            sync |= group[i].Item.Sync;
            operations += group[i].Item.Count;
        }

        _wal.Append(_walBuffer.WrittenSpan);
        (_applyGroup, _applyStart, _applyCount) = (group, start, count);
        if (sync && operations >= ParallelApplyOperations)
        {
            _applier!.Start(_applyGroupAction!);
            try
            {
                _wal.Sync();
            }
            finally
            {
                _applier.Finish();
            }
        }
        else
        {
            ApplyGroup();
            if (sync)
            {
                _wal.Sync();
            }
        }

        Volatile.Write(ref _visibleSequence, _lastSequence);
    }

    /// <summary>Applies the group <see cref="CommitGroup"/> set aside, in sequence order.</summary>
    private void ApplyGroup()
    {
        var group = _applyGroup!;
        for (int i = _applyStart; i < _applyStart + _applyCount; i++)
        {
            ApplyBatch(++_lastSequence, group[i].Item);
        }

        _applyGroup = null;
    }

    /// <summary>Housekeeping on the writer thread after a group: reclamation, value-store compaction, checkpoint.</summary>
    private void AfterCommit()
    {
        Reclaim();
        _values.CompactIfWasteful(ValueLogFloor);
        CheckpointIfDue();
    }

    /// <summary>
    /// Housekeeping of an inline leader after its commit: the trims (a few pointer writes per
    /// overwritten key) happen here; says whether the writer thread's heavy part (value-store
    /// compaction, a checkpoint) is due.
    /// </summary>
    private bool AfterInlineCommit()
    {
        Reclaim();
        return _values.CompactionDue(ValueLogFloor) || CheckpointDue;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EncodeBatch(RecordBuffer buffer, ulong sequence, WriteBatch batch)
    {
        int start = buffer.BeginRecord();
        buffer.WriteByte((byte)WalRecordKind.Batch);
        buffer.WriteUInt64(sequence);
        buffer.WriteVarint((ulong)batch.Count);
        foreach (ref readonly var op in batch.OperationSpan)
        {
            buffer.WriteByte((byte)op.Kind);
            buffer.WriteByte((byte)op.Cf);
            buffer.WriteBytes(op.Key);
            buffer.WriteBytes(op.Value);
        }

        buffer.EndRecord(start);
    }
}

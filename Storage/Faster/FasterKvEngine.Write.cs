using TinyKv.Storage.Wal;

namespace TinyKv.Storage.Faster;

public sealed partial class FasterKvEngine
{
    private readonly object _queueLock = new();
    private readonly RecordBuffer _walBuffer = new();
    private readonly Thread _writerThread;
    private List<PendingWrite> _queue = [];
    private List<PendingWrite> _group = [];
    private bool _stopping;
    private Exception? _failure;

    /// <inheritdoc />
    public ValueTask WriteAsync(WriteBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite(batch);
        lock (_queueLock)
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Add(pending);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_queueLock);
            }
        }

        return new ValueTask(pending.Completion.Task);
    }

    /// <summary>The writer thread: takes every waiting batch and commits them as one group.</summary>
    private void WriteLoop()
    {
        while (true)
        {
            lock (_queueLock)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_queueLock);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                (_queue, _group) = (_group, _queue);
            }

            for (int start = 0; start < _group.Count; start += _options.MaxGroupBatches)
            {
                int count = Math.Min(_options.MaxGroupBatches, _group.Count - start);
                CommitGroup(_group, start, count);
            }

            _group.Clear();
        }
    }

    /// <summary>
    /// Appends the batches to the WAL with one write, syncs once if any asks for it, applies them
    /// in order, publishes the new visible sequence and completes their writers.
    /// </summary>
    private void CommitGroup(List<PendingWrite> group, int start, int count)
    {
        try
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            _walBuffer.Clear();
            bool sync = false;
            ulong sequence = _lastSequence;
            for (int i = start; i < start + count; i++)
            {
                EncodeBatch(_walBuffer, ++sequence, group[i].Batch);
                sync |= group[i].Batch.Sync;
            }

            _wal.Append(_walBuffer.WrittenSpan);
            if (sync)
            {
                _wal.Sync();
            }

            for (int i = start; i < start + count; i++)
            {
                ApplyBatch(++_lastSequence, group[i].Batch);
            }

            Volatile.Write(ref _visibleSequence, _lastSequence);
        }
        catch (Exception ex)
        {
            lock (_queueLock)
            {
                _failure ??= ex;
            }

            for (int i = start; i < start + count; i++)
            {
                group[i].Completion.TrySetException(ex);
            }

            return;
        }

        for (int i = start; i < start + count; i++)
        {
            group[i].Completion.TrySetResult();
        }

        Reclaim();
        CheckpointIfDue();
    }

    private void StopWriter()
    {
        lock (_queueLock)
        {
            _stopping = true;
            Monitor.Pulse(_queueLock);
        }

        _writerThread.Join();
    }

    private static void EncodeBatch(RecordBuffer buffer, ulong sequence, WriteBatch batch)
    {
        int start = buffer.BeginRecord();
        buffer.WriteByte((byte)WalRecordKind.Batch);
        buffer.WriteUInt64(sequence);
        buffer.WriteVarint((ulong)batch.Count);
        foreach (var op in batch.Operations)
        {
            buffer.WriteByte((byte)op.Kind);
            buffer.WriteByte((byte)op.Cf);
            buffer.WriteBytes(op.Key);
            buffer.WriteBytes(op.Value);
        }

        buffer.EndRecord(start);
    }

    /// <summary>A batch waiting for the writer thread, and the task its writer awaits.</summary>
    private sealed class PendingWrite(WriteBatch batch)
    {
        public WriteBatch Batch { get; } = batch;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

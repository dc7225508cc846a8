namespace TinyKv.Storage.Wal;

/// <summary>
/// Group commit: writers enqueue items and await them; one writer thread takes every item
/// waiting, hands them to <c>commit</c> as one group (one WAL write, at most one fsync) and then
/// completes them all. While a group commits, the next one gathers (TiKV's store writer, RocksDB's
/// write group).
/// </summary>
/// <remarks>
/// A commit that throws fails its group and every later write: after a WAL I/O error the engine's
/// state on disk is unknown, so it stops rather than guess. <c>afterCommit</c> runs on the writer
/// thread once the group's writers are released (housekeeping such as reclamation).
/// </remarks>
internal sealed class GroupCommitQueue<T> : IDisposable
{
    private readonly object _lock = new();
    private readonly Action<List<Pending>, int, int> _commit;
    private readonly Action _afterCommit;
    private readonly int _maxGroup;
    private readonly Thread _thread;
    private List<Pending> _queue = [];
    private List<Pending> _group = [];
    private bool _stopping;
    private Exception? _failure;

    public GroupCommitQueue(string threadName, int maxGroup, Action<List<Pending>, int, int> commit, Action afterCommit)
    {
        _maxGroup = maxGroup;
        _commit = commit;
        _afterCommit = afterCommit;
        _thread = new Thread(Loop) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="item"/>; the task completes once its group has committed.</summary>
    public Task EnqueueAsync(T item)
    {
        var pending = new Pending(item);
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Add(pending);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_lock);
            }
        }

        // The writer thread completes this task and never waits on a caller's context (no deadlock).
#pragma warning disable VSTHRD003
        return pending.Completion.Task;
#pragma warning restore VSTHRD003
    }

    /// <summary>Commits what is queued, then stops the writer thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.Pulse(_lock);
        }

        _thread.Join();
    }

    private void Loop()
    {
        while (true)
        {
            lock (_lock)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_lock);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                (_queue, _group) = (_group, _queue);
            }

            for (int start = 0; start < _group.Count; start += _maxGroup)
            {
                int count = Math.Min(_maxGroup, _group.Count - start);
                if (Commit(start, count))
                {
                    _afterCommit();
                }
            }

            _group.Clear();
        }
    }

    private bool Commit(int start, int count)
    {
        try
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            _commit(_group, start, count);
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure ??= ex;
            }

            for (int i = start; i < start + count; i++)
            {
                _group[i].Completion.TrySetException(ex);
            }

            return false;
        }

        for (int i = start; i < start + count; i++)
        {
            if (_group[i].Rejection is { } rejection)
            {
                _group[i].Completion.TrySetException(rejection);
            }
            else
            {
                _group[i].Completion.TrySetResult();
            }
        }

        return true;
    }

    /// <summary>
    /// An item waiting for the writer thread, and the task its writer awaits. It is its own
    /// completion source: one object per write instead of two.
    /// </summary>
    internal sealed class Pending(T item) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public T Item { get; } = item;

        public TaskCompletionSource Completion => this;

        /// <summary>Set by the commit when it refused this item alone (bad input); the rest of the group commits.</summary>
        public Exception? Rejection { get; set; }
    }
}

namespace TinyKv.Storage.Wal;

/// <summary>
/// Group commit: writers enqueue items and await them; one writer thread takes every item
/// waiting, hands them to <c>commit</c> as one group (one WAL write, at most one fsync) and then
/// completes them all. While a group commits, the next one gathers (TiKV's store writer, RocksDB's
/// write group).
/// </summary>
/// <remarks>
/// <para>
/// Inline leader (RocksDB's write-group leader): when nothing is committing, nothing is queued and
/// the last group held a single item, the arriving writer commits its own item on its own thread
/// and gets back a completed task: no hand-off to the writer thread and none back, the same
/// syscalls as a plain append + fdatasync loop. <see cref="EnqueueAsync"/> may therefore block its
/// caller for one commit (one fdatasync for a synced item) when the queue is idle. The condition on
/// the last group keeps concurrent writers on the writer thread: after a group of many, the first
/// writer back would otherwise commit alone and split the next group in two fsyncs.
/// </para>
/// <para>
/// One commit token, taken under the queue's lock, is held by whoever commits (the writer thread or
/// an inline leader) and by the writer thread's housekeeping: <c>commit</c>, <c>afterCommit</c> and
/// <c>inlineHousekeeping</c> never run at the same time, and the lock orders what each one wrote
/// before the next one reads it (the single-writer contract of what they touch). An inline leader
/// commits only its own item; then it runs <c>inlineHousekeeping</c> (cheap work, still holding
/// the token), which says whether the writer thread's <c>afterCommit</c> is due; if so the writer
/// thread is woken to run it, and writers queue until it has.
/// </para>
/// <para>
/// A commit that throws fails its group and every later write: after a WAL I/O error the engine's
/// state on disk is unknown, so it stops rather than guess. <c>afterCommit</c> runs on the writer
/// thread once the group's writers are released (housekeeping such as reclamation).
/// </para>
/// </remarks>
internal sealed class GroupCommitQueue<T> : IDisposable
{
    private readonly object _lock = new();
    private readonly Action<List<Pending>, int, int> _commit;
    private readonly Action _afterCommit;
    private readonly Func<bool>? _inlineHousekeeping;
    private readonly int _maxGroup;
    private readonly Thread _thread;
    private readonly List<Pending> _inlineGroup = new(1);
    private List<Pending> _queue = [];
    private List<Pending> _group = [];
    private bool _committing;
    private bool _housekeepingDue;
    private int _lastGroupCount;
    private long _inlineCommits;
    private bool _stopping;
    private Exception? _failure;

    /// <param name="threadName">Name of the writer thread.</param>
    /// <param name="maxGroup">Most items in one commit.</param>
    /// <param name="commit">Commits a group (the list, its start and count).</param>
    /// <param name="afterCommit">Housekeeping on the writer thread after each group it commits.</param>
    /// <param name="inlineHousekeeping">
    /// Runs after an inline leader's commit on the leader's thread and returns whether
    /// <paramref name="afterCommit"/> is due; null disables inline leaders.
    /// </param>
    public GroupCommitQueue(string threadName, int maxGroup, Action<List<Pending>, int, int> commit, Action afterCommit, Func<bool>? inlineHousekeeping = null)
    {
        _maxGroup = maxGroup;
        _commit = commit;
        _afterCommit = afterCommit;
        _inlineHousekeeping = inlineHousekeeping;
        _thread = new Thread(Loop) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>Items committed by their own writer instead of the writer thread (for tests and metrics).</summary>
    public long InlineCommits => Interlocked.Read(ref _inlineCommits);

    /// <summary>Whether nothing commits, waits or has housekeeping due (for tests).</summary>
    internal bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return !_committing && !_housekeepingDue && _queue.Count == 0;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/>; the task completes once its group has committed. When the
    /// queue is idle the item is committed here, on the caller's thread, and the task returned has
    /// completed (see the remarks on the type).
    /// </summary>
    public Task EnqueueAsync(T item)
    {
        var pending = new Pending(item);
        bool inline;
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            ObjectDisposedException.ThrowIf(_stopping, this);
            inline = _inlineHousekeeping is not null && !_committing && !_housekeepingDue && _queue.Count == 0 && _lastGroupCount <= 1;
            if (inline)
            {
                _committing = true;
            }
            else
            {
                _queue.Add(pending);
                if (_queue.Count == 1 && !_committing)
                {
                    Monitor.Pulse(_lock);
                }
            }
        }

        if (inline)
        {
            CommitInline(pending);
        }

        // The writer thread completes this task and never waits on a caller's context (no deadlock).
#pragma warning disable VSTHRD003
        return pending.Completion.Task;
#pragma warning restore VSTHRD003
    }

    /// <summary>Commits what is queued, then stops the writer thread (after an inline commit in progress).</summary>
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

    /// <summary>Commits <paramref name="pending"/> alone on this thread, holding the commit token.</summary>
    private void CommitInline(Pending pending)
    {
        bool due = false;
        _inlineGroup.Add(pending);
        try
        {
            if (Commit(_inlineGroup, 0, 1))
            {
                Interlocked.Increment(ref _inlineCommits);
                due = _inlineHousekeeping!();
            }
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure ??= ex;
            }
        }
        finally
        {
            _inlineGroup.Clear();
            lock (_lock)
            {
                _committing = false;
                _lastGroupCount = 1;
                _housekeepingDue |= due;
                if (_queue.Count > 0 || _housekeepingDue || _stopping)
                {
                    Monitor.Pulse(_lock);
                }
            }
        }
    }

    private void Loop()
    {
        while (true)
        {
            bool housekeeping;
            lock (_lock)
            {
                while (_committing || (_queue.Count == 0 && !_housekeepingDue && !_stopping))
                {
                    Monitor.Wait(_lock);
                }

                if (_queue.Count == 0 && !_housekeepingDue)
                {
                    return;
                }

                (_queue, _group) = (_group, _queue);
                housekeeping = _housekeepingDue;
                _housekeepingDue = false;
                _committing = true;
            }

            for (int start = 0; start < _group.Count; start += _maxGroup)
            {
                int count = Math.Min(_maxGroup, _group.Count - start);
                if (Commit(_group, start, count))
                {
                    _afterCommit();
                    housekeeping = false;
                }
            }

            if (housekeeping && _failure is null)
            {
                _afterCommit();
            }

            lock (_lock)
            {
                _committing = false;
                _lastGroupCount = _group.Count;
            }

            _group.Clear();
        }
    }

    private bool Commit(List<Pending> group, int start, int count)
    {
        try
        {
            if (_failure is not null)
            {
                throw new IOException("the engine stopped after a write failure", _failure);
            }

            _commit(group, start, count);
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure ??= ex;
            }

            for (int i = start; i < start + count; i++)
            {
                group[i].Completion.TrySetException(ex);
            }

            return false;
        }

        for (int i = start; i < start + count; i++)
        {
            if (group[i].Rejection is { } rejection)
            {
                group[i].Completion.TrySetException(rejection);
            }
            else
            {
                group[i].Completion.TrySetResult();
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

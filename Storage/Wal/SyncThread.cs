namespace TinyKv.Storage.Wal;

/// <summary>
/// Runs a log's fdatasync on a thread of its own, so the writer can overlap the wait for the disk
/// with CPU work that must not be published before the sync (RocksDB's pipelined write applies
/// the memtable while the WAL syncs). At most one sync is in flight.
/// </summary>
internal sealed class SyncThread : IDisposable
{
    private readonly object _lock = new();
    private readonly Thread _thread;
    private Action? _work;
    private bool _busy;
    private bool _stopping;
    private Exception? _failure;

    public SyncThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Starts <paramref name="sync"/>; the previous one must have been waited for.</summary>
    public void Start(Action sync)
    {
        lock (_lock)
        {
            if (_busy)
            {
                throw new InvalidOperationException("a sync is already in flight");
            }

            _work = sync;
            _busy = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Waits for the sync started last; rethrows its failure (wrapped) if it failed.</summary>
    public void Wait()
    {
        lock (_lock)
        {
            while (_busy)
            {
                Monitor.Wait(_lock);
            }

            if (_failure is { } failure)
            {
                _failure = null;
                throw new IOException("sync failed", failure);
            }
        }
    }

    /// <summary>Lets a sync in flight finish, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }

        _thread.Join();
    }

    private void Loop()
    {
        while (true)
        {
            Action work;
            lock (_lock)
            {
                while (_work is null && !_stopping)
                {
                    Monitor.Wait(_lock);
                }

                if (_work is null)
                {
                    return;
                }

                work = _work;
                _work = null;
            }

            Exception? failure = null;
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            lock (_lock)
            {
                _failure = failure;
                _busy = false;
                Monitor.PulseAll(_lock);
            }
        }
    }
}

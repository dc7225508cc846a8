using System.Runtime.ExceptionServices;

namespace TinyKv.Storage.Faster;

/// <summary>
/// A second thread for the writer: while the writer thread waits in fdatasync, this one applies
/// the group to the index (RocksDB's pipelined write overlaps the WAL sync and the memtable
/// insert the same way). If it has not picked the work up by the time the sync returns, the
/// writer takes the work back and runs it itself, so a slow wake-up never costs more than doing
/// the work in line.
/// </summary>
/// <remarks>
/// At most one piece of work is outstanding, and the writer waits for it in <see cref="Finish"/>
/// before it touches what the work touches: the single-writer contract of the index holds, with
/// the lock ordering the two threads' accesses.
/// </remarks>
internal sealed class ApplyThread : IDisposable
{
    private readonly object _lock = new();
    private readonly Thread _thread;
    private Action? _queued;
    private bool _running;
    private bool _stopping;
    private ExceptionDispatchInfo? _failure;

    public ApplyThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Offers <paramref name="work"/> to the thread; the previous work must have been finished.</summary>
    public void Start(Action work)
    {
        lock (_lock)
        {
            if (_queued is not null || _running)
            {
                throw new InvalidOperationException("the previous work was not finished");
            }

            _queued = work;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Runs the work here if the thread has not taken it, else waits for it; rethrows its failure.</summary>
    public void Finish()
    {
        Action? work;
        lock (_lock)
        {
            work = _queued;
            _queued = null;
            while (_running)
            {
                Monitor.Wait(_lock);
            }

            var failure = _failure;
            _failure = null;
            failure?.Throw();
        }

        work?.Invoke();
    }

    /// <summary>Stops the thread once it is idle (the writer has finished its last work).</summary>
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
                while (_queued is null && !_stopping)
                {
                    Monitor.Wait(_lock);
                }

                if (_queued is null)
                {
                    return;
                }

                work = _queued;
                _queued = null;
                _running = true;
            }

            ExceptionDispatchInfo? failure = null;
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }

            lock (_lock)
            {
                _failure = failure;
                _running = false;
                Monitor.PulseAll(_lock);
            }
        }
    }
}

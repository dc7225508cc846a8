namespace TinyKv.Bench.Storage;

/// <summary>
/// The baseline skeleton of group commit: writers queue a record and wait; one thread takes every
/// record waiting, appends them with one write and one fdatasync, and releases their writers.
/// The same batch policy as the engine, without checksums, index or value store.
/// </summary>
internal sealed class RawGroupCommitWal : IDisposable
{
    private readonly RawFile _file;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private List<(byte[] Record, TaskCompletionSource Done)> _queue = [];
    private List<(byte[] Record, TaskCompletionSource Done)> _group = [];
    private readonly byte[] _buffer = new byte[4 << 20];
    private bool _stopping;

    public RawGroupCommitWal(string path)
    {
        _file = new RawFile(path, 256L << 20);
        _thread = new Thread(Loop) { IsBackground = true };
        _thread.Start();
    }

    public Task AppendAsync(byte[] record)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _queue.Add((record, done));
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_lock);
            }
        }

#pragma warning disable VSTHRD003 // completed by the writer thread, which never waits on a caller's context
        return done.Task;
#pragma warning restore VSTHRD003
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.Pulse(_lock);
        }

        _thread.Join();
        _file.Dispose();
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

            int length = 0;
            foreach (var (record, _) in _group)
            {
                record.CopyTo(_buffer, length);
                length += record.Length;
            }

            _file.Append(_buffer.AsSpan(0, length));
            _file.DataSync();
            foreach (var (_, done) in _group)
            {
                done.TrySetResult();
            }

            _group.Clear();
        }
    }
}

namespace TinyKv.Actors.Runtime;

/// <summary>
/// The scheduler of one activation: tasks run one at a time, in FIFO order, on thread-pool
/// threads. Every continuation of grain code comes back here (await captures
/// TaskScheduler.Current), which is what makes a turn a turn (Orleans' WorkItemGroup).
/// Invariant: at most one thread is inside <see cref="Execute"/> for this scheduler.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    /// <summary>Tasks run per pass before yielding the thread to other activations.</summary>
    private const int TurnsPerPass = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? _running;

    private readonly Queue<Task> _queue = new();
    private readonly Lock _gate = new();
    private bool _scheduled;

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>True when the calling thread runs a turn of this scheduler.</summary>
    public bool IsRunningHere => _running == this;

    public void Execute()
    {
        _running = this;
        try
        {
            for (int i = 0; i < TurnsPerPass; i++)
            {
                Task? task;
                lock (_gate)
                {
                    if (!_queue.TryDequeue(out task))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            _running = null;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _queue.Enqueue(task);
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: ReadLoopDispatch.PreferLocal);
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && _running == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return _queue.ToArray();
        }
    }
}

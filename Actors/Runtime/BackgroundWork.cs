namespace TinyKv.Actors.Runtime;

/// <summary>
/// Counts a node's background operations (membership rounds, table writes, self-kill) so that a
/// test driving fake time can wait until they are done, never sleeping.
/// </summary>
internal sealed class BackgroundWork
{
    private readonly object _gate = new();
    private int _running;
    private TaskCompletionSource? _idle;

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Counts a piece of work that ends with <see cref="Exit"/> (a queued timer tick).</summary>
    public void Enter()
    {
        lock (_gate)
        {
            _running++;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_running == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Runs <paramref name="operation"/> in the background; its failure is passed to <paramref name="onError"/>.</summary>
    public void Run(Func<Task> operation, Action<Exception> onError)
    {
        lock (_gate)
        {
            _running++;
        }

        _ = RunAsync(operation, onError);
    }

    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_running == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private async Task RunAsync(Func<Task> operation, Action<Exception> onError)
    {
        try
        {
            await operation();
        }
        catch (Exception e)
        {
            onError(e);
        }
        finally
        {
            Exit();
        }
    }
}

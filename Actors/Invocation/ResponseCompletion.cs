using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Invocation;

/// <summary>
/// The caller's side of one call: completed by the response, a timeout or a silo failure. It is
/// also the call's entry in the callback registry (one object per call, not two). The first of
/// <see cref="SetResult"/> and <see cref="SetException"/> wins; the task completes later, on the
/// thread pool, so a caller never runs inside the turn of the grain that answered it nor on a read loop.
/// </summary>
internal interface IResponseCompletion
{
    /// <summary>Set by <see cref="Arm"/> before the call is registered: the request's message id.</summary>
    ulong Id { get; }

    /// <summary>Set by <see cref="Arm"/> before the call is registered.</summary>
    MethodDescriptor Method { get; }

    GrainId Target { get; }

    DateTimeOffset Deadline { get; }

    /// <summary>The silo the request went to, when known; null while routing.</summary>
    SiloAddress? TargetSilo { get; set; }

    void Arm(ulong id, MethodDescriptor method, GrainId target, DateTimeOffset deadline);

    void SetResult(object? value);

    void SetException(Exception exception);

    /// <summary>The value the grain reference hands back: a Task&lt;T&gt;, or a boxed ValueTask.</summary>
    object ReturnValue(ReturnKind kind);

    /// <summary>The completion as an untyped task, for the outgoing filter pipeline.</summary>
    Task Task { get; }
}

/// <remarks>
/// The completion queues itself and completes its task from the thread pool, where the caller's
/// continuation then runs in line: one work item per call, as with asynchronous continuations, but
/// queued where <see cref="ReadLoopDispatch"/> says, so the callers one read resumes run in arrival order.
/// </remarks>
internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IResponseCompletion, IThreadPoolWorkItem
{
    private int _claimed;
    private T _value = default!;
    private Exception? _error;

    Task IResponseCompletion.Task => Task;

    public ulong Id { get; private set; }

    public MethodDescriptor Method { get; private set; } = null!;

    public GrainId Target { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public SiloAddress? TargetSilo { get; set; }

    public void Arm(ulong id, MethodDescriptor method, GrainId target, DateTimeOffset deadline)
    {
        Id = id;
        Method = method;
        Target = target;
        Deadline = deadline;
    }

    /// <summary>Throws <see cref="InvalidCastException"/>, claiming nothing, when <paramref name="value"/> is not a <typeparamref name="T"/>.</summary>
    public void SetResult(object? value)
    {
        var result = (T)value!;
        if (Interlocked.Exchange(ref _claimed, 1) == 0)
        {
            _value = result;
            ThreadPool.UnsafeQueueUserWorkItem(this, ReadLoopDispatch.PreferLocal);
        }
    }

    void IResponseCompletion.SetException(Exception exception)
    {
        if (Interlocked.Exchange(ref _claimed, 1) == 0)
        {
            _error = exception;
            ThreadPool.UnsafeQueueUserWorkItem(this, ReadLoopDispatch.PreferLocal);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_error is { } error)
        {
            TrySetException(error);
        }
        else
        {
            TrySetResult(_value);
        }
    }

    public object ReturnValue(ReturnKind kind) => kind switch
    {
        ReturnKind.ValueTask => new ValueTask(Task),
        ReturnKind.ValueTaskOfT => new ValueTask<T>(Task),
        _ => Task,
    };
}

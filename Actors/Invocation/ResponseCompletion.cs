namespace TinyKv.Actors.Invocation;

/// <summary>
/// The caller's side of one call: completed by the response, a timeout or a silo failure. It is
/// also the call's entry in the callback registry (one object per call, not two). Continuations
/// run asynchronously so that a caller never runs inside the turn of the grain that answered it.
/// </summary>
internal interface IResponseCompletion
{
    /// <summary>Set by <see cref="Arm"/> before the call is registered.</summary>
    MethodDescriptor Method { get; }

    GrainId Target { get; }

    DateTimeOffset Deadline { get; }

    /// <summary>The silo the request went to, when known; null while routing.</summary>
    SiloAddress? TargetSilo { get; set; }

    void Arm(MethodDescriptor method, GrainId target, DateTimeOffset deadline);

    void SetResult(object? value);

    void SetException(Exception exception);

    /// <summary>The value the grain reference hands back: a Task&lt;T&gt;, or a boxed ValueTask.</summary>
    object ReturnValue(ReturnKind kind);

    /// <summary>The completion as an untyped task, for the outgoing filter pipeline.</summary>
    Task Task { get; }
}

internal sealed class ResponseCompletion<T> : TaskCompletionSource<T>, IResponseCompletion
{
    public ResponseCompletion()
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
    }

    Task IResponseCompletion.Task => Task;

    public MethodDescriptor Method { get; private set; } = null!;

    public GrainId Target { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public SiloAddress? TargetSilo { get; set; }

    public void Arm(MethodDescriptor method, GrainId target, DateTimeOffset deadline)
    {
        Method = method;
        Target = target;
        Deadline = deadline;
    }

    public void SetResult(object? value) => TrySetResult((T)value!);

    void IResponseCompletion.SetException(Exception exception) => TrySetException(exception);

    public object ReturnValue(ReturnKind kind) => kind switch
    {
        ReturnKind.ValueTask => new ValueTask(Task),
        ReturnKind.ValueTaskOfT => new ValueTask<T>(Task),
        _ => Task,
    };
}

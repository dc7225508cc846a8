namespace TinyKv.Actors.Runtime;

/// <summary>
/// What flows with the async call: the call chain this code runs in, the request context and the
/// activation whose request is executing. Immutable: a change makes a new instance, so a child
/// flow never changes what its parent sees (AsyncLocal copy-on-write).
/// </summary>
internal sealed class CallContext
{
    private static readonly AsyncLocal<CallContext?> Current = new();

    public CallContext(Guid callChainId, IReadOnlyDictionary<string, object>? values, ActivationData? activation)
    {
        CallChainId = callChainId;
        Values = values;
        Activation = activation;
    }

    public Guid CallChainId { get; }

    public IReadOnlyDictionary<string, object>? Values { get; }

    public ActivationData? Activation { get; }

    public static CallContext? Value
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}

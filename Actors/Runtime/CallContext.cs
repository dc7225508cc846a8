namespace TinyKv.Actors.Runtime;

/// <summary>
/// What flows with the async call: the call chain this code runs in, the request context and the
/// activation whose request is executing. Immutable once it flows: RequestContext changes make a
/// new instance, so a child flow never changes what its parent sees (AsyncLocal copy-on-write).
/// A request <see cref="Message"/> is its own call context while its grain code runs, which saves
/// an allocation per call.
/// </summary>
internal class CallContext
{
    private static readonly AsyncLocal<CallContext?> Current = new();

    public CallContext()
    {
    }

    public CallContext(Guid callChainId, IReadOnlyDictionary<string, object>? values, ActivationData? activation)
    {
        CallChainId = callChainId;
        Values = values;
        Activation = activation;
    }

    public static CallContext? Value
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    public Guid CallChainId { get; init; }

    /// <summary>The RequestContext entries.</summary>
    public IReadOnlyDictionary<string, object>? Values { get; init; }

    /// <summary>The activation the request runs on (set when a message is queued, before it flows).</summary>
    public ActivationData? Activation { get; set; }
}

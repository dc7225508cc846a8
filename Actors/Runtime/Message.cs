using TinyKv.Actors.Invocation;
using TinyKv.Actors.Timers;

namespace TinyKv.Actors.Runtime;

/// <summary>
/// One request, response or timer tick inside a process. Between nodes it travels as a
/// protobuf Envelope (<see cref="EnvelopeCodec"/>); inside one silo the arguments are passed
/// by reference, uncopied.
/// </summary>
internal sealed class Message : CallContext
{
    public ulong Id { get; init; }

    public MessageKind Kind { get; init; }

    /// <summary>The node that sent the request and receives the response.</summary>
    public required SiloAddress Sender { get; init; }

    /// <summary>The silo the sender chose, or null when the receiving silo routes (a gateway call).</summary>
    public SiloAddress? TargetSilo { get; set; }

    public GrainId TargetGrain { get; init; }

    public MethodDescriptor? Method { get; init; }

    public object?[] Arguments { get; init; } = [];

    public object? Result { get; init; }

    public Exception? Exception { get; init; }

    public bool IsReadOnly { get; init; }

    public bool IsAlwaysInterleave { get; init; }

    /// <summary>How often silos passed this request on; bounded by SiloMessagingOptions.MaxForwardCount.</summary>
    public int ForwardCount { get; set; }

    /// <summary>The timer of a <see cref="MessageKind.TimerTick"/>.</summary>
    public GrainTimer? Timer { get; init; }

    /// <summary>Set when the invocation starts: the task to await and how to read its result.</summary>
    internal Task? Invocation { get; set; }

    internal Func<Task, object?>? ResultReader { get; set; }

    /// <summary>A timer tick still counted as background work of its node.</summary>
    internal bool TracksWork { get; set; }


    public override string ToString() => $"{Kind} #{Id} {Method} -> {TargetGrain} from {Sender}";
}

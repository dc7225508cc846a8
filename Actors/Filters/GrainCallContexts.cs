using System.Reflection;
using TinyKv.Actors.Invocation;

namespace TinyKv.Actors.Filters;

/// <summary>The incoming pipeline: silo filters in registration order, then the grain as a filter, then the method.</summary>
internal sealed class IncomingGrainCallContext(object grain, GrainId target, MethodDescriptor method, object?[] arguments, IReadOnlyList<IIncomingGrainCallFilter> filters)
    : IIncomingGrainCallContext
{
    private int _next;

    public object Grain { get; } = grain;

    public GrainId TargetId { get; } = target;

    public MethodInfo InterfaceMethod => method.Method;

    public object?[] Arguments { get; } = arguments;

    public object? Result { get; set; }

    public async Task Invoke()
    {
        int index = _next++;
        if (index < filters.Count)
        {
            await filters[index].Invoke(this);
            return;
        }

        if (index == filters.Count && Grain is IIncomingGrainCallFilter own)
        {
            await own.Invoke(this);
            return;
        }

        var task = method.Invoker(Grain, Arguments);
        await task;
        Result = method.ResultGetter(task);
    }
}

/// <summary>The outgoing pipeline: node filters in registration order, then the send.</summary>
internal sealed class OutgoingGrainCallContext(GrainId target, MethodDescriptor method, object?[] arguments, IReadOnlyList<IOutgoingGrainCallFilter> filters, Func<object?[], Task<object?>> send)
    : IOutgoingGrainCallContext
{
    private int _next;

    public GrainId TargetId { get; } = target;

    public MethodInfo InterfaceMethod => method.Method;

    public object?[] Arguments { get; } = arguments;

    public object? Result { get; set; }

    public async Task Invoke()
    {
        int index = _next++;
        if (index < filters.Count)
        {
            await filters[index].Invoke(this);
            return;
        }

        Result = await send(Arguments);
    }
}

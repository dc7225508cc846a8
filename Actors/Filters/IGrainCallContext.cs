using System.Reflection;

namespace TinyKv.Actors;

/// <summary>One grain call as a filter sees it (Orleans' IGrainCallContext).</summary>
public interface IGrainCallContext
{
    /// <summary>The target grain's identity.</summary>
    GrainId TargetId { get; }

    /// <summary>The grain interface method called.</summary>
    MethodInfo InterfaceMethod { get; }

    /// <summary>The arguments; a filter may replace elements before calling <see cref="Invoke"/>.</summary>
    object?[] Arguments { get; }

    /// <summary>The result after <see cref="Invoke"/>; a filter may replace it.</summary>
    object? Result { get; set; }

    /// <summary>Runs the next filter, or the call itself after the last one.</summary>
#pragma warning disable VSTHRD200 // Orleans' name: filters written for Orleans compile unchanged.
    Task Invoke();
#pragma warning restore VSTHRD200
}

/// <summary>A call arriving at a grain; <see cref="Grain"/> is the instance.</summary>
public interface IIncomingGrainCallContext : IGrainCallContext
{
    object Grain { get; }
}

/// <summary>A call leaving a node.</summary>
public interface IOutgoingGrainCallContext : IGrainCallContext
{
}

using System.Reflection;
using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Invocation;

/// <summary>
/// The client side of a grain: a <see cref="DispatchProxy"/> over the grain interface. A call
/// looks its <see cref="MethodDescriptor"/> up in a frozen dictionary and hands the arguments
/// to the runtime; no reflection runs per call (see Actors/README.md, "Invocation").
/// </summary>
public class GrainReference : DispatchProxy, IAddressable
{
    private InterfaceDescriptor _interface = null!;
    private RuntimeClient _runtime = null!;

    /// <summary>The identity this reference addresses.</summary>
    public GrainId GrainId { get; private set; }

    internal InterfaceDescriptor Interface => _interface;

    internal static TInterface Create<TInterface>(RuntimeClient runtime, GrainId id)
        where TInterface : IGrain
    {
        var proxy = Create<TInterface, GrainReference>();
        var reference = (GrainReference)(object)proxy;
        reference._interface = InterfaceDescriptor.For(typeof(TInterface));
        reference._runtime = runtime;
        reference.GrainId = id;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var method = _interface.Methods[targetMethod];
        return _runtime.Invoke(GrainId, method, args ?? []);
    }

    public override bool Equals(object? obj) => obj is GrainReference other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => $"GrainReference({GrainId})";
}

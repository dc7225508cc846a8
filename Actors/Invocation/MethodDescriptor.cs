using System.Linq.Expressions;
using System.Reflection;

namespace TinyKv.Actors.Invocation;

/// <summary>
/// Everything the runtime needs to call one grain interface method, computed once per method:
/// a compiled invoker (no reflection per call), the result extractor, the typed completion
/// factory, the codecs for the wire and the concurrency flags from the attributes.
/// </summary>
internal sealed class MethodDescriptor
{
    private static readonly MethodInfo GetResultOfT = typeof(MethodDescriptor).GetMethod(nameof(GetResult), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CreateCompletionOfT = typeof(MethodDescriptor).GetMethod(nameof(CreateCompletion), BindingFlags.NonPublic | BindingFlags.Static)!;

    public MethodDescriptor(InterfaceDescriptor owner, MethodInfo method)
    {
        Interface = owner;
        Method = method;
        Signature = $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.FullName))})";
        Id = StableHash.Of(Signature);
        if (method.IsGenericMethodDefinition)
        {
            throw new NotSupportedException($"Grain method {owner.Type.Name}.{method.Name} is generic; grain methods cannot be generic.");
        }

        var returnType = method.ReturnType;
        (ReturnKind, ResultType) = returnType switch
        {
            _ when returnType == typeof(Task) => (ReturnKind.Task, (Type?)null),
            _ when returnType == typeof(ValueTask) => (ReturnKind.ValueTask, null),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(Task<>) => (ReturnKind.TaskOfT, returnType.GetGenericArguments()[0]),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(ValueTask<>) => (ReturnKind.ValueTaskOfT, returnType.GetGenericArguments()[0]),
            _ => throw new NotSupportedException($"Grain method {owner.Type.Name}.{method.Name} returns {returnType.Name}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>."),
        };

        var parameters = method.GetParameters();
        ParameterTypes = parameters.Select(p => p.ParameterType).ToArray();
        foreach (var p in parameters)
        {
            if (p.ParameterType.IsByRef)
            {
                throw new NotSupportedException($"Grain method {owner.Type.Name}.{method.Name} has a by-ref parameter '{p.Name}'.");
            }
        }

        ArgumentCodecs = ParameterTypes.Select(ValueCodec.For).ToArray();
        ResultCodec = ResultType is null ? null : ValueCodec.For(ResultType);
        IsOneWay = method.IsDefined(typeof(OneWayAttribute));
        if (IsOneWay && ResultType is not null)
        {
            throw new NotSupportedException($"[OneWay] method {owner.Type.Name}.{method.Name} returns a value; one-way methods return Task or ValueTask.");
        }

        IsReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        IsAlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        Invoker = CompileInvoker(owner.Type, method, ReturnKind);
        var resultType = ResultType ?? typeof(object);
        ResultGetter = ResultType is null ? static _ => null : GetResultOfT.MakeGenericMethod(resultType).CreateDelegate<Func<Task, object?>>();
        CompletionFactory = CreateCompletionOfT.MakeGenericMethod(resultType).CreateDelegate<Func<IResponseCompletion>>();
    }

    public InterfaceDescriptor Interface { get; }

    public MethodInfo Method { get; }

    /// <summary>Name and parameter types: what <see cref="Id"/> hashes.</summary>
    public string Signature { get; }

    /// <summary>Stable across processes: identifies the method on the wire.</summary>
    public uint Id { get; }

    public ReturnKind ReturnKind { get; }

    /// <summary>The T of Task&lt;T&gt; / ValueTask&lt;T&gt;, or null.</summary>
    public Type? ResultType { get; }

    public Type[] ParameterTypes { get; }

    public ValueCodec[] ArgumentCodecs { get; }

    public ValueCodec? ResultCodec { get; }

    public bool IsOneWay { get; }

    public bool IsReadOnly { get; }

    public bool IsAlwaysInterleave { get; }

    /// <summary>Calls the method on a grain with unboxed arguments; ValueTasks are turned into Tasks.</summary>
    public Func<object, object?[], Task> Invoker { get; }

    /// <summary>Reads the result of a completed invocation task (null for Task / ValueTask).</summary>
    public Func<Task, object?> ResultGetter { get; }

    public Func<IResponseCompletion> CompletionFactory { get; }

    private static Func<object, object?[], Task> CompileInvoker(Type iface, MethodInfo method, ReturnKind kind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var arguments = method.GetParameters().Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        Expression call = Expression.Call(Expression.Convert(grain, iface), method, arguments);
        if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }

        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }

    /// <summary>Only called on completed tasks: GetResult does not block.</summary>
#pragma warning disable VSTHRD002 // The task has completed; nothing waits.
    private static object? GetResult<T>(Task task) => ((Task<T>)task).GetAwaiter().GetResult();
#pragma warning restore VSTHRD002

    private static IResponseCompletion CreateCompletion<T>() => new ResponseCompletion<T>();

    public override string ToString() => $"{Interface.Type.Name}.{Method.Name}";
}

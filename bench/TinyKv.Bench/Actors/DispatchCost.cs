using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace TinyKv.Bench.Actors;

/// <summary>
/// Isolates the cost of the grain-reference mechanism: a DispatchProxy (what the runtime uses)
/// against the hand-written class a source generator would emit. Both end in the same
/// non-inlined runtime entry point, so the difference is the proxy's dispatch, its MethodInfo
/// lookup and its argument array. Recorded in Actors/README.md ("Invocation").
/// </summary>
internal static class DispatchCost
{
    private static readonly Task<int> Done = Task.FromResult(1);

    public static (double ProxyNs, double HandWrittenNs) Measure(int calls)
    {
        var proxy = DispatchProxy.Create<IBenchGrain, ForwardingProxy>();
        IBenchGrain handWritten = new HandWrittenReference();
        double proxyNs = double.MaxValue;
        double handNs = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            proxyNs = Math.Min(proxyNs, Run(proxy, calls / 5));
            handNs = Math.Min(handNs, Run(handWritten, calls / 5));
        }

        return (proxyNs, handNs);
    }

    private static double Run(IBenchGrain grain, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            _ = grain.AddAsync(i);
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls;
    }

    public class ForwardingProxy : DispatchProxy
    {
        private readonly Dictionary<MethodInfo, int> _methods = typeof(IBenchGrain).GetMethods().Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            Runtime.Invoke(_methods[targetMethod!], args!);
    }

    private sealed class HandWrittenReference : IBenchGrain
    {
        public Task<int> AddAsync(int value) => (Task<int>)Runtime.Invoke(0, value);
    }

    /// <summary>Stands for the runtime's call entry point: not inlined, returns a completed task.</summary>
    private static class Runtime
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static object Invoke(int method, object?[] args) => method == 0 && args.Length == 1 ? Done : Task.FromResult(-1);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static object Invoke(int method, int value) => method == 0 && value >= 0 ? Done : Task.FromResult(-1);
    }
}

using System.Diagnostics;
using System.Reflection;

namespace TinyKv.Bench.Actors;

/// <summary>
/// Isolates the cost of the grain-reference mechanism: a DispatchProxy (what the runtime uses)
/// against the hand-written class a source generator would emit, both forwarding to the same
/// completed task. Recorded in Actors/README.md ("Invocation").
/// </summary>
internal static class DispatchCost
{
    private static readonly Task<int> Done = Task.FromResult(1);

    public static (double ProxyNs, double HandWrittenNs) Measure(int calls)
    {
        var proxy = DispatchProxy.Create<IBenchGrain, ForwardingProxy>();
        IBenchGrain handWritten = new HandWrittenReference();
        Run(proxy, calls / 10);
        Run(handWritten, calls / 10);
        return (Run(proxy, calls), Run(handWritten, calls));
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
            _methods[targetMethod!] == 0 ? Done : null;
    }

    private sealed class HandWrittenReference : IBenchGrain
    {
        public Task<int> AddAsync(int value) => ForwardAsync(0, value);

        private static Task<int> ForwardAsync(int method, int value) => method == 0 ? Done : Task.FromResult(value);
    }
}

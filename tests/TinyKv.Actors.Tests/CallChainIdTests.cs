using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Tests;

/// <summary>Call chain ids taken on many threads at once, across their counter blocks, never repeat.</summary>
public sealed class CallChainIdTests
{
    [Fact]
    public void IdsFromConcurrentThreadsAreDistinct()
    {
        const int Threads = 4;
        const int PerThread = 5_000;
        var ids = new Guid[Threads][];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            ids[t] = Enumerable.Range(0, PerThread).Select(_ => CallChainId.New()).ToArray();
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var all = ids.SelectMany(i => i).ToList();
        Assert.Equal(Threads * PerThread, all.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, all);
    }
}

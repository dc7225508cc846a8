using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Tests;

/// <summary>Call chain ids taken on many threads at once, across their counter blocks, never repeat.</summary>
public sealed class CallChainIdTests
{
    [Fact]
    public void IdsFromConcurrentThreadsAreDistinct()
    {
        var all = ConcurrentTakers.TakeOnThreads(threads: 4, perThread: 5_000, CallChainId.New);

        Assert.Equal(4 * 5_000, all.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, all);
    }
}

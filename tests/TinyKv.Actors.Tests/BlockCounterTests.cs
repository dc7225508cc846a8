using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Tests;

/// <summary>One counter's values (a sender's message ids) never repeat, across threads and their blocks; two counters on one thread count separately.</summary>
public sealed class BlockCounterTests
{
    [Fact]
    public void IdsFromConcurrentThreadsAreDistinctAndNeverZero()
    {
        var ids = new BlockCounter(blockSize: 64);
        var all = ConcurrentTakers.TakeOnThreads(threads: 4, perThread: 5_000, ids.Next);

        Assert.Equal(4 * 5_000, all.Distinct().Count());
        Assert.DoesNotContain(0UL, all);
    }

    [Fact]
    public void TwoSendersOnOneThreadEachGetTheirOwnSequence()
    {
        var first = new BlockCounter(blockSize: 64);
        var second = new BlockCounter(blockSize: 64);
        var fromFirst = new List<ulong>();
        for (int i = 0; i < 200; i++)
        {
            fromFirst.Add(first.Next());
            Assert.NotEqual(0UL, second.Next());
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), fromFirst.Order());
    }
}

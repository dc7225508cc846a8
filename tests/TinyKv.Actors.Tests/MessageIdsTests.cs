using TinyKv.Actors.Runtime;

namespace TinyKv.Actors.Tests;

/// <summary>Message ids of one sender never repeat, across threads and their blocks; two senders on one thread count separately.</summary>
public sealed class MessageIdsTests
{
    [Fact]
    public void IdsFromConcurrentThreadsAreDistinctAndNeverZero()
    {
        const int Threads = 4;
        const int PerThread = 5_000;
        var ids = new MessageIds();
        var taken = new ulong[Threads][];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            taken[t] = Enumerable.Range(0, PerThread).Select(_ => ids.Next()).ToArray();
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var all = taken.SelectMany(i => i).ToList();
        Assert.Equal(Threads * PerThread, all.Distinct().Count());
        Assert.DoesNotContain(0UL, all);
    }

    [Fact]
    public void TwoSendersOnOneThreadEachGetTheirOwnSequence()
    {
        var first = new MessageIds();
        var second = new MessageIds();
        var fromFirst = new List<ulong>();
        for (int i = 0; i < 200; i++)
        {
            fromFirst.Add(first.Next());
            Assert.NotEqual(0UL, second.Next());
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), fromFirst.Order());
    }
}

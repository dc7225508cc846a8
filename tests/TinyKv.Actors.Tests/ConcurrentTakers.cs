namespace TinyKv.Actors.Tests;

/// <summary>Runs one taker on several threads at once (released together by a barrier) and returns what they took.</summary>
internal static class ConcurrentTakers
{
    public static List<T> TakeOnThreads<T>(int threads, int perThread, Func<T> take)
    {
        var taken = new T[threads][];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            taken[t] = Enumerable.Range(0, perThread).Select(_ => take()).ToArray();
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return taken.SelectMany(t => t).ToList();
    }
}

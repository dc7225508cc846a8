namespace TinyKv.Transactions.Concurrency;

/// <summary>The slots a command holds; disposing releases them (once).</summary>
public sealed class LatchGuard : IDisposable
{
    private readonly int[] _slots;
    private readonly int _count;
    private Latches? _owner;

    /// <param name="slots">The held slots in its first <paramref name="count"/> entries, ascending.</param>
    internal LatchGuard(Latches owner, int[] slots, int count)
    {
        _owner = owner;
        _slots = slots;
        _count = count;
    }

    /// <summary>The held slots, ascending.</summary>
    public IReadOnlyList<int> Slots => new ArraySegment<int>(_slots, 0, _count);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _owner, null) is { } owner)
        {
            owner.Release(_slots, _count);
        }
    }
}

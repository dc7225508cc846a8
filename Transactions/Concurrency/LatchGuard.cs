namespace TinyKv.Transactions.Concurrency;

/// <summary>The slots a command holds; disposing releases them (once).</summary>
public sealed class LatchGuard : IDisposable
{
    private readonly int[] _slots;
    private Latches? _owner;

    internal LatchGuard(Latches owner, int[] slots)
    {
        _owner = owner;
        _slots = slots;
    }

    /// <summary>The held slots, ascending.</summary>
    public IReadOnlyList<int> Slots => _slots;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _owner, null) is { } owner)
        {
            owner.Release(_slots, _slots.Length);
        }
    }
}

namespace TinyKv.Transactions.Commands;

/// <summary>
/// The finished <see cref="CommandContext"/>s of one store, reused by later commands. Bounded:
/// it keeps at most <see cref="Capacity"/> contexts, and none whose batch grew large.
/// </summary>
/// <remarks>Thread-safe. A context must be returned only once the engine has applied its batch (or never got it).</remarks>
/// <param name="recycleArrays">Whether new contexts recycle their batch's arrays (<see cref="CommandContext"/>).</param>
internal sealed class CommandContextPool(bool recycleArrays = false)
{
    /// <summary>
    /// Contexts kept: above the commands a store has in flight at once (each holds its context while
    /// its batch waits for the engine), so a busy store rarely builds a new one.
    /// </summary>
    public const int Capacity = 256;

    /// <summary>A context whose batch held more operations than this is dropped: one large command does not pin its batch's storage.</summary>
    public const int MaxPooledOperations = 64;

    private readonly System.Threading.Lock _lock = new();
    private readonly CommandContext?[] _free = new CommandContext?[Capacity];
    private int _count;

    /// <summary>How many contexts wait for reuse.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>A finished context, or a new one.</summary>
    public CommandContext Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var context = _free[--_count]!;
                _free[_count] = null;
                return context;
            }
        }

        return new CommandContext(recycleArrays);
    }

    /// <summary>Keeps <paramref name="context"/> for a later command, emptied; drops it when the pool is full or its batch was large.</summary>
    public void Return(CommandContext context)
    {
        if (context.Txn.Modifications.Count > MaxPooledOperations)
        {
            return;
        }

        context.Clear();
        lock (_lock)
        {
            if (_count < Capacity)
            {
                _free[_count++] = context;
            }
        }
    }
}

namespace TinyKv.Transactions.Concurrency;

/// <summary>
/// A store's latch table (TiKV's scheduler latches; TinyKV's <c>Latches</c>): serializes
/// commands whose keys overlap so each runs read-check-write on a stable view, while commands
/// on disjoint keys run concurrently.
/// </summary>
/// <remarks>
/// Rules:
/// <list type="number">
/// <item>A user key maps to one of <see cref="SlotCount"/> slots by a fixed hash (FNV-1a), the
/// same for every column family. Two commands conflict when their slot sets intersect; distinct
/// keys may share a slot, which costs concurrency, never correctness.</item>
/// <item>A command acquires its slots in ascending slot order, so no two commands wait on each
/// other in a cycle: there is no deadlock.</item>
/// <item>Each slot grants waiters first in, first out, so a command is never starved by later ones.</item>
/// <item>Slots are held from before the command's snapshot until after its write batch is applied,
/// and released on every path (the guard's dispose; a command's `finally`).</item>
/// </list>
/// A slot is one integer: free, held, or held with waiters. Taking a free slot and releasing one
/// nobody waits for are one compare-and-swap each; only a wait takes the table's lock and
/// allocates its queue entry. A slot with waiters is never freed: its holder hands it straight to
/// the first live waiter, so a newcomer cannot overtake them (rule 3). Slots cost 4 bytes each,
/// so the table can be large enough (TiKV's default is 2^19) that unrelated keys rarely share
/// a slot: a shared slot makes one command wait for the other's write to be applied.
/// </remarks>
public sealed class Latches
{
    /// <summary>The default slot count (a power of two): 256 KiB of slots.</summary>
    public const int DefaultSlotCount = 1 << 16;

    private const int Free = 0;
    private const int Held = 1;
    private const int HeldWithWaiters = 2;

    private readonly int[] _states;
    private readonly int _mask;
    private readonly System.Threading.Lock _waitLock = new();

    /// <summary>The waiters of each slot in state <see cref="HeldWithWaiters"/>, in arrival order; under <see cref="_waitLock"/>.</summary>
    private readonly Dictionary<int, Queue<Waiter>> _waiters = [];

    /// <param name="slotCount">Rounded up to a power of two; at least 1.</param>
    public Latches(int slotCount = DefaultSlotCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotCount, 1 << 24);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slotCount);
        _states = new int[size];
        _mask = size - 1;
    }

    public int SlotCount => _states.Length;

    /// <summary>The slot of <paramref name="userKey"/>.</summary>
    public int SlotOf(ReadOnlySpan<byte> userKey)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        ulong hash = offsetBasis;
        foreach (byte b in userKey)
        {
            hash = (hash ^ b) * prime;
        }

        return (int)(hash ^ (hash >> 32)) & _mask;
    }

    /// <summary>
    /// Waits until the command owns every slot of <paramref name="userKeys"/>; dispose the guard to
    /// release them. On cancellation, slots already taken are released before the exception.
    /// </summary>
    public ValueTask<LatchGuard> AcquireAsync(IEnumerable<byte[]> userKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userKeys);
        int[] slots = [.. userKeys.Select(key => SlotOf(key))];
        return GuardAsync(slots, cancellationToken);
    }

    /// <summary>
    /// <see cref="AcquireAsync"/> without a guard, for slots the caller computed with
    /// <see cref="SlotOf"/>, in any order and with repeats: the array is sorted and its distinct
    /// slots moved to the front. Completes synchronously, without allocating, when every slot is free.
    /// </summary>
    /// <returns>How many slots are held: the first ones of <paramref name="slots"/>, to release with <see cref="Release(int[], int)"/>.</returns>
    internal ValueTask<int> AcquireSlotsAsync(int[] slots, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        int count = SortDistinct(slots);
        int acquired = 0;
        while (acquired < count && Interlocked.CompareExchange(ref _states[slots[acquired]], Held, Free) == Free)
        {
            acquired++;
        }

        return acquired == count
            ? new ValueTask<int>(count)
            : AcquireRestAsync(slots, count, acquired, cancellationToken);
    }

    internal void Release(int[] slots, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            Release(slots[i]);
        }
    }

    private async ValueTask<LatchGuard> GuardAsync(int[] slots, CancellationToken cancellationToken) =>
        new(this, slots, await AcquireSlotsAsync(slots, cancellationToken).ConfigureAwait(false));

    /// <summary>Takes slots[<paramref name="acquired"/>..<paramref name="count"/>) in order, waiting where one is held.</summary>
    private async ValueTask<int> AcquireRestAsync(int[] slots, int count, int acquired, CancellationToken cancellationToken)
    {
        try
        {
            for (; acquired < count; acquired++)
            {
                if (AcquireOrEnqueue(slots[acquired], cancellationToken) is { } waiter)
                {
                    using var registration = waiter.AbandonOn(cancellationToken);

                    // A releasing command completes the waiter and never waits on this context: no deadlock.
#pragma warning disable VSTHRD003
                    await waiter.Task.ConfigureAwait(false);
#pragma warning restore VSTHRD003
                }
            }
        }
        catch
        {
            Release(slots, acquired);
            throw;
        }

        return count;
    }

    /// <summary>Takes <paramref name="slot"/> if it is free (null), else queues and returns a waiter the holder will grant it to.</summary>
    private Waiter? AcquireOrEnqueue(int slot, CancellationToken cancellationToken)
    {
        ref int state = ref _states[slot];
        lock (_waitLock)
        {
            while (true)
            {
                int seen = Volatile.Read(ref state);
                if (seen == Free)
                {
                    if (Interlocked.CompareExchange(ref state, Held, Free) == Free)
                    {
                        return null;
                    }
                }
                else if (seen == HeldWithWaiters || Interlocked.CompareExchange(ref state, HeldWithWaiters, Held) == Held)
                {
                    if (!_waiters.TryGetValue(slot, out var queue))
                    {
                        _waiters[slot] = queue = new Queue<Waiter>();
                    }

                    var waiter = new Waiter(this, cancellationToken);
                    queue.Enqueue(waiter);
                    return waiter;
                }
            }
        }
    }

    /// <summary>Frees <paramref name="slot"/>, or hands it to its first live waiter.</summary>
    private void Release(int slot)
    {
        ref int state = ref _states[slot];
        if (Interlocked.CompareExchange(ref state, Free, Held) == Held)
        {
            return;
        }

        Waiter? next = null;
        lock (_waitLock)
        {
            var queue = _waiters[slot];
            while (queue.TryDequeue(out var waiter))
            {
                if (!waiter.Abandoned)
                {
                    waiter.Granted = true;
                    next = waiter;
                    break;
                }
            }

            if (queue.Count == 0)
            {
                _waiters.Remove(slot);
                Volatile.Write(ref state, next is null ? Free : Held);
            }
        }

        next?.TrySetResult();
    }

    /// <summary>Withdraws a waiter whose wait was cancelled, unless the slot was already granted to it.</summary>
    private void Abandon(Waiter waiter)
    {
        lock (_waitLock)
        {
            if (waiter.Granted)
            {
                return;
            }

            waiter.Abandoned = true;
        }

        waiter.TrySetCanceled(waiter.CancellationToken);
    }

    /// <summary>Sorts <paramref name="slots"/> and moves its distinct values to the front; returns how many there are.</summary>
    private static int SortDistinct(int[] slots)
    {
        if (slots.Length == 2)
        {
            if (slots[0] > slots[1])
            {
                (slots[0], slots[1]) = (slots[1], slots[0]);
            }

            return slots[0] == slots[1] ? 1 : 2;
        }

        Array.Sort(slots);
        int distinct = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            if (i == 0 || slots[i] != slots[distinct - 1])
            {
                slots[distinct++] = slots[i];
            }
        }

        return distinct;
    }

    /// <summary>
    /// A command waiting for one slot. Exactly one of grant and abandonment happens, both decided
    /// under the table's lock: <see cref="Granted"/> means the slot is now the command's.
    /// </summary>
    private sealed class Waiter(Latches owner, CancellationToken cancellationToken)
        : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public CancellationToken CancellationToken => cancellationToken;

        public bool Granted { get; set; }

        public bool Abandoned { get; set; }

        /// <summary>Abandons the wait when <paramref name="token"/> is cancelled; dispose the registration once the wait is over.</summary>
        public CancellationTokenRegistration AbandonOn(CancellationToken token) =>
            token.CanBeCanceled ? token.UnsafeRegister(static state => ((Waiter)state!).Abandon(), this) : default;

        private void Abandon() => owner.Abandon(this);
    }
}

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
/// and released on every path (the guard's dispose).</item>
/// </list>
/// </remarks>
public sealed class Latches
{
    /// <summary>The default slot count (a power of two).</summary>
    public const int DefaultSlotCount = 2048;

    private readonly SemaphoreSlim[] _slots;
    private readonly int _mask;

    /// <param name="slotCount">Rounded up to a power of two; at least 1.</param>
    public Latches(int slotCount = DefaultSlotCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slotCount, 1 << 24);
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)slotCount);
        _slots = new SemaphoreSlim[size];
        for (int i = 0; i < size; i++)
        {
            _slots[i] = new SemaphoreSlim(1, 1);
        }

        _mask = size - 1;
    }

    public int SlotCount => _slots.Length;

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
        return AcquireSlotsAsync(slots, cancellationToken);
    }

    /// <summary>
    /// <see cref="AcquireAsync"/> for slots the caller computed with <see cref="SlotOf"/>, in any
    /// order and with repeats; the array becomes the guard's (sorted, repeats dropped).
    /// </summary>
    internal async ValueTask<LatchGuard> AcquireSlotsAsync(int[] slots, CancellationToken cancellationToken)
    {
        int count = SortDistinct(slots);
        int acquired = 0;
        try
        {
            for (; acquired < count; acquired++)
            {
                await _slots[slots[acquired]].WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            Release(slots, acquired);
            throw;
        }

        return new LatchGuard(this, slots, count);
    }

    internal void Release(int[] slots, int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            _slots[slots[i]].Release();
        }
    }

    /// <summary>Sorts <paramref name="slots"/> and moves its distinct values to the front; returns how many there are.</summary>
    private static int SortDistinct(int[] slots)
    {
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
}

using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Networking;

/// <summary>
/// A link's bounded queue of envelopes: many senders, one reader (the link's pump). Writing is
/// lock-free (a count reserves the place, then a concurrent queue takes the envelope); the waiting
/// reader is woken through the thread pool's global queue, as a channel's asynchronous continuation
/// was, so the pump runs behind work already queued. A full queue makes senders wait
/// (<see cref="WriteAsync"/>) instead of growing. <see cref="TryComplete"/> ends writing: what was
/// queued can still be read, and <see cref="WaitToReadAsync"/> answers false once it is gone.
/// </summary>
/// <remarks>
/// It replaced a bounded channel, whose lock every sender and the pump took per envelope: with
/// 64 calls in flight that lock and its contention were a measurable share of a call's CPU.
/// </remarks>
internal sealed class SendQueue : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    /// <summary>Set in <see cref="_count"/> once writing has ended.</summary>
    private const int Completed = 1 << 30;

    private readonly ConcurrentQueue<Envelope> _items = new();
    private readonly SemaphoreSlim _space = new(0);
    private readonly int _capacity;

    /// <summary>Completes the reader's wait; its continuation runs on the work item that sets it.</summary>
    private ManualResetValueTaskSourceCore<bool> _wake;

    /// <summary>Envelopes reserved or queued, plus <see cref="Completed"/>.</summary>
    private int _count;

    /// <summary>1 while the reader waits for an envelope; whoever swaps it to 0 wakes the reader.</summary>
    private int _readerWaiting;

    /// <summary>Senders waiting for room; the reader lets one try again as it takes envelopes.</summary>
    private int _blockedWriters;

    public SendQueue(int capacity)
    {
        if (capacity is < 1 or >= Completed)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A send queue holds 1 to {Completed - 1} envelopes.");
        }

        _capacity = capacity;
    }

    public bool IsCompleted => (Volatile.Read(ref _count) & Completed) != 0;

    /// <summary>Queues <paramref name="envelope"/>; false when the queue is full or writing has ended.</summary>
    public bool TryWrite(Envelope envelope)
    {
        int count = Interlocked.Increment(ref _count);
        if ((count & Completed) != 0 || (count & ~Completed) > _capacity)
        {
            if ((Interlocked.Decrement(ref _count) & Completed) != 0)
            {
                // The reader may have seen this reservation and waited for it to be queued.
                WakeReader();
            }

            return false;
        }

        _items.Enqueue(envelope);

        // The envelope must be visible before the reader's flag is read: the reader sets the flag,
        // then looks at the queue, so without a full fence here both could miss each other.
        Interlocked.MemoryBarrier();
        WakeReader();
        return true;
    }

    /// <summary>Queues <paramref name="envelope"/>, waiting for room; false when writing has ended first.</summary>
    public async ValueTask<bool> WriteAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _blockedWriters);
        try
        {
            while (!TryWrite(envelope))
            {
                if (IsCompleted)
                {
                    return false;
                }

                await _space.WaitAsync(cancellationToken);
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _blockedWriters);
        }
    }

    /// <summary>Takes the oldest envelope; the reader's side (the pump, or whoever owns the queue once the pump has ended).</summary>
    public bool TryRead(out Envelope envelope)
    {
        if (!_items.TryDequeue(out envelope!))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        if (Volatile.Read(ref _blockedWriters) > 0 && _space.CurrentCount == 0)
        {
            // One waiting sender tries again; the semaphore keeps no more than that pending, so a
            // sender that blocks later does not spin through permits left over from a drained queue.
            _space.Release();
        }

        return true;
    }

    /// <summary>True when an envelope can be read; false once writing has ended and every envelope was read. One reader at a time.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        if (!_items.IsEmpty)
        {
            return new ValueTask<bool>(true);
        }

        if (IsDrained())
        {
            return new ValueTask<bool>(false);
        }

        _wake.Reset();
        Interlocked.Exchange(ref _readerWaiting, 1);
        if ((!_items.IsEmpty || IsDrained()) && Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            // Something arrived (or writing ended) while the wait was being set up, and no writer claimed the wake.
            return new ValueTask<bool>(!_items.IsEmpty);
        }

        return new ValueTask<bool>(this, _wake.Version);
    }

    /// <summary>Ends writing; false when it had ended already. Waiting senders give up, the reader reads what is left.</summary>
    public bool TryComplete()
    {
        int count = Volatile.Read(ref _count);
        while ((count & Completed) == 0)
        {
            int seen = Interlocked.CompareExchange(ref _count, count | Completed, count);
            if (seen == count)
            {
                int blocked = Volatile.Read(ref _blockedWriters);
                if (blocked > 0)
                {
                    _space.Release(blocked);
                }

                WakeReader();
                return true;
            }

            count = seen;
        }

        return false;
    }

    void IThreadPoolWorkItem.Execute() => _wake.SetResult(!_items.IsEmpty || !IsDrained());

    bool IValueTaskSource<bool>.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);

    /// <summary>Writing has ended and nothing is reserved or queued (a reserved envelope is about to be queued: wait for it).</summary>
    private bool IsDrained() => Volatile.Read(ref _count) == Completed;

    /// <summary>Queues the reader's wake-up when it waits; the caller has published its change behind a full fence (an interlocked operation).</summary>
    private void WakeReader()
    {
        if (Volatile.Read(ref _readerWaiting) == 1 && Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}

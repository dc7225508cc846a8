using TinyKv.Actors.Networking;

namespace TinyKv.TestingHost;

/// <summary>
/// Envelopes in flight between the TCP transports of one test cluster (silos and client): queued on
/// a link, being written, or read but not yet taken by the receiver. <see cref="WhenIdleAsync"/> is
/// the TCP twin of <see cref="InMemoryNetwork.WhenIdleAsync"/>. When a connection closes, what it
/// carried unread is lost, so its hop (both directions) is forgotten rather than awaited forever.
/// </summary>
public sealed class TcpInFlightTracker : IEnvelopeTracker
{
    private readonly Dictionary<(SiloAddress From, SiloAddress To), long> _hops = [];
    private readonly Lock _gate = new();
    private long _inFlight;
    private long _settled;
    private TaskCompletionSource? _idle;

    /// <summary>Envelopes sent and not yet settled.</summary>
    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Envelopes received or dropped so far.</summary>
    public long Settled => Interlocked.Read(ref _settled);

    /// <summary>Completes when no envelope is in flight between the cluster's nodes.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_inFlight <= 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    void IEnvelopeTracker.Sent(SiloAddress from, SiloAddress to) => Add(from, to, 1);

    void IEnvelopeTracker.Settled(SiloAddress from, SiloAddress to, int count)
    {
        Interlocked.Add(ref _settled, count);
        Add(from, to, -count);
    }

    void IEnvelopeTracker.HopClosed(SiloAddress one, SiloAddress other)
    {
        TaskCompletionSource? idle;
        lock (_gate)
        {
            Forget((one, other));
            Forget((other, one));
            idle = TakeIdle();
        }

        idle?.TrySetResult();
    }

    /// <summary>A hop's count may go below zero for a moment (a receiver settles before the sender's count lands); only the total must reach zero.</summary>
    private void Add(SiloAddress from, SiloAddress to, long delta)
    {
        TaskCompletionSource? idle;
        lock (_gate)
        {
            var hop = (from, to);
            long count = _hops.GetValueOrDefault(hop) + delta;
            if (count == 0)
            {
                _hops.Remove(hop);
            }
            else
            {
                _hops[hop] = count;
            }

            _inFlight += delta;
            idle = TakeIdle();
        }

        idle?.TrySetResult();
    }

    private void Forget((SiloAddress, SiloAddress) hop)
    {
        if (_hops.Remove(hop, out long count))
        {
            _inFlight -= count;
        }
    }

    private TaskCompletionSource? TakeIdle()
    {
        if (_inFlight > 0)
        {
            return null;
        }

        var idle = _idle;
        _idle = null;
        return idle;
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using Google.Protobuf;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors;

/// <summary>
/// An <see cref="IMessageTransport"/> inside one process. Every envelope is serialized on send and
/// parsed on delivery, so nodes never share objects (Orleans' copy semantics between silos).
/// Delivery is asynchronous, in order per connection, and subject to <see cref="INetworkFilter"/>s;
/// delays use the injected TimeProvider. <see cref="WhenIdleAsync"/> lets tests wait until nothing
/// is in flight, instead of sleeping.
/// </summary>
public sealed class InMemoryNetwork : IMessageTransport
{
    private readonly ConcurrentDictionary<string, Listener> _listeners = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly object _idleGate = new();
    private ImmutableArray<INetworkFilter> _filters = [];
    private long _inFlight;
    private long _delivered;
    private long _dropped;
    private TaskCompletionSource? _idle;

    public InMemoryNetwork(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Envelopes handed to a listener so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Envelopes dropped by a filter or for want of a listener.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void AddFilter(INetworkFilter filter) => ImmutableInterlocked.Update(ref _filters, f => f.Add(filter));

    public void ClearFilters() => _filters = [];

    public ValueTask<IAsyncDisposable> ListenAsync(SiloAddress localAddress, IEnvelopeReceiver receiver, CancellationToken cancellationToken)
    {
        var listener = new Listener(this, localAddress, receiver);
        _listeners[localAddress.Endpoint] = listener;
        return ValueTask.FromResult<IAsyncDisposable>(listener);
    }

    public ValueTask<IMessageConnection> ConnectAsync(SiloAddress localAddress, SiloAddress remoteAddress, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IMessageConnection>(new Connection(this, localAddress, remoteAddress));

    /// <summary>Completes when no envelope is queued or being delivered (delayed ones wait on their timer and do not count).</summary>
    public Task WhenIdleAsync()
    {
        lock (_idleGate)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void Enter()
    {
        lock (_idleGate)
        {
            _inFlight++;
        }
    }

    private void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_idleGate)
        {
            if (--_inFlight == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    private NetworkVerdict Judge(SiloAddress from, SiloAddress to, Envelope envelope)
    {
        var message = new NetworkMessage(from, to, envelope);
        foreach (var filter in _filters)
        {
            var verdict = filter.Filter(message);
            if (!verdict.IsDeliver)
            {
                return verdict;
            }
        }

        return NetworkVerdict.Deliver;
    }

    private void Deliver(SiloAddress to, byte[] frame)
    {
        if (_listeners.TryGetValue(to.Endpoint, out var listener) && !listener.Closed)
        {
            Interlocked.Increment(ref _delivered);
            listener.Receiver.OnEnvelope(Envelope.Parser.ParseFrom(frame));
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private sealed class Listener(InMemoryNetwork network, SiloAddress address, IEnvelopeReceiver receiver) : IAsyncDisposable
    {
        public IEnvelopeReceiver Receiver { get; } = receiver;

        public bool Closed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Closed = true;
            network._listeners.TryRemove(new KeyValuePair<string, Listener>(address.Endpoint, this));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One direction between two nodes: a FIFO queue drained by one thread-pool work item at a time.</summary>
    private sealed class Connection(InMemoryNetwork network, SiloAddress from, SiloAddress to) : IMessageConnection, IThreadPoolWorkItem
    {
        private readonly ConcurrentQueue<byte[]> _queue = new();
        private int _scheduled;

        public SiloAddress RemoteAddress => to;

        public ValueTask SendAsync(Envelope envelope, CancellationToken cancellationToken)
        {
            var verdict = network.Judge(from, to, envelope);
            if (verdict.Drop)
            {
                Interlocked.Increment(ref network._dropped);
                return ValueTask.CompletedTask;
            }

            byte[] frame = envelope.ToByteArray();
            if (verdict.Delay > TimeSpan.Zero)
            {
                ITimer? timer = null;
                timer = network._time.CreateTimer(
                    _ =>
                    {
                        timer?.Dispose();
                        Enqueue(frame);
                    },
                    null,
                    verdict.Delay,
                    Timeout.InfiniteTimeSpan);
                return ValueTask.CompletedTask;
            }

            Enqueue(frame);
            return ValueTask.CompletedTask;
        }

        public void Execute()
        {
            while (true)
            {
                while (_queue.TryDequeue(out var frame))
                {
                    try
                    {
                        network.Deliver(to, frame);
                    }
                    finally
                    {
                        network.Exit();
                    }
                }

                Volatile.Write(ref _scheduled, 0);
                if (_queue.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) == 1)
                {
                    return;
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private void Enqueue(byte[] frame)
        {
            network.Enter();
            _queue.Enqueue(frame);
            if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }
}

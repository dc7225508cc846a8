using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Networking;

/// <summary>
/// Everything this node sends to one remote node: a bounded queue (senders wait when it is full)
/// drained by one pump that, once woken, lets the thread pool's queued work run first and then
/// writes as many queued envelopes as it finds (up to MaxBatchBytes) before one flush, so many small
/// messages cost one syscall. The link uses a connection the remote node opened to us when there is
/// one, else dials it, with exponential backoff after a failure. A silo answers a node it has no
/// connection to but heard from through another silo (a client of another gateway) through that
/// silo, which relays; a client relays through a gateway only while it cannot dial the silo. While
/// the remote node cannot be reached, queued envelopes are dropped (the transport contract: response
/// timeouts and membership deal with loss). Nodes that do not accept connections (cluster clients)
/// are never dialed.
/// </summary>
internal sealed class PeerLink : IMessageConnection
{
    private readonly TcpMessageTransport _transport;
    private readonly IEnvelopeTracker? _tracker;
    private readonly SendQueue _queue;
    private readonly List<FramedConnection> _connections = [];
    private readonly Lock _connectionsGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private FramedConnection? _active;
    private TimeSpan _backoff;
    private DateTimeOffset _nextDial;
    private bool _retired;

    public PeerLink(TcpMessageTransport transport, SiloAddress remote)
    {
        _transport = transport;
        _tracker = transport.Tracker;
        RemoteAddress = remote;
        _queue = new SendQueue(transport.Options.SendQueueCapacity);
        _backoff = transport.Options.InitialReconnectBackoff;
        using (ExecutionContext.SuppressFlow())
        {
            // The pump outlives whatever created the link (often a turn): it carries none of its context.
            _pump = Task.Run(PumpAsync);
        }
    }

    public SiloAddress RemoteAddress { get; }

    /// <summary>False once the remote node said in its handshake that it takes no connections (a client).</summary>
    public bool Dialable { get; private set; } = true;

    public ValueTask SendAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (IsRetired)
        {
            // A node caches its connection per remote node; once retired, this link hands over to
            // the transport's current link for that node (a client that came back on a new connection).
            return _transport.SendAsync(RemoteAddress, envelope, cancellationToken);
        }

        _tracker?.Sent(_transport.LocalAddress, RemoteAddress);
        if (_queue.TryWrite(envelope))
        {
            return ValueTask.CompletedTask;
        }

        return WaitAndSendAsync(envelope, cancellationToken);
    }

    /// <summary>True once the last connection of a client closed: the transport no longer hands this link out.</summary>
    public bool IsRetired => Volatile.Read(ref _retired);

    /// <summary>True while a connection to the remote node is open.</summary>
    public bool IsConnected => Current() is not null;

    /// <summary>Queues an envelope without waiting; dropped when the queue is full (a relay must not stall its reader).</summary>
    public void Forward(Envelope envelope)
    {
        _tracker?.Sent(_transport.LocalAddress, RemoteAddress);
        if (!_queue.TryWrite(envelope))
        {
            _tracker?.Settled(_transport.LocalAddress, RemoteAddress);
            _transport.Log.Dropped(_transport.LocalAddress, RemoteAddress, 1, "relay queue full");
        }
    }

    /// <summary>
    /// Uses <paramref name="connection"/> (accepted or dialed) until it closes; false when this link
    /// was retired (its client's last connection closed), and the caller must ask for a new link.
    /// </summary>
    public bool TryAttach(FramedConnection connection, bool dialable)
    {
        lock (_connectionsGate)
        {
            if (_retired)
            {
                return false;
            }

            Dialable = dialable;
            _connections.Add(connection);
        }

        _ = DetachWhenClosedAsync(connection);
        return true;
    }

    /// <summary>Closes the open connections; the link dials again when it has something to send (a silo, not a client).</summary>
    public void AbortConnections()
    {
        foreach (var connection in Snapshot())
        {
            connection.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_queue.TryComplete())
        {
            return;
        }

        await _stop.CancelAsync();
        foreach (var connection in Snapshot())
        {
            connection.Abort();
        }

        await _pump;
        DropQueued("link closed");
    }

    private async ValueTask WaitAndSendAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        if (!await _queue.WriteAsync(envelope, cancellationToken))
        {
            // The link is disposed: the envelope is dropped, as for an unreachable node.
            _tracker?.Settled(_transport.LocalAddress, RemoteAddress);
        }
    }

    private async Task DetachWhenClosedAsync(FramedConnection connection)
    {
        await connection.Closed;
        bool retired;
        lock (_connectionsGate)
        {
            _connections.Remove(connection);
            retired = _retired = _connections.Count == 0 && !Dialable;
        }

        if (retired)
        {
            _transport.Retire(this);
        }
    }

    private List<FramedConnection> Snapshot()
    {
        lock (_connectionsGate)
        {
            return [.. _connections];
        }
    }

    /// <summary>
    /// The connection in use: kept until it closes, so envelopes to one node never split over two
    /// connections (two read loops at the receiver would reorder them). Then the oldest open one.
    /// </summary>
    private FramedConnection? Current()
    {
        lock (_connectionsGate)
        {
            if (_active is { IsClosed: false })
            {
                return _active;
            }

            _active = _connections.Find(c => !c.IsClosed);
            return _active;
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            // No token: a cancellable wait allocates and registers a callback on every wake. Disposal
            // completes the queue instead, which ends this loop once what is queued has been handled.
            while (await _queue.WaitToReadAsync())
            {
                // A silo relays first (its unconnected peers are clients of other gateways, which take no
                // connections); a client dials first, since each relayed call costs the gateway two hops.
                var connection = Current();
                if (connection is null && _transport.AcceptsConnections && TryRelayQueued())
                {
                    continue;
                }

                connection ??= await DialAsync();
                if (connection is null)
                {
                    if (!TryRelayQueued())
                    {
                        DropQueued("unreachable");
                    }

                    continue;
                }

                // Woken by the first envelope of a burst (callers continuing after their answers, or
                // turns answering a batch of requests, all queued on the thread pool): step behind the
                // work already queued once, so those senders enqueue too and share this flush.
                await Task.Yield();
                int bytes = 0;
                bool ok;
                try
                {
                    while (bytes < _transport.Options.MaxBatchBytes && _queue.TryRead(out var envelope))
                    {
                        int written = connection.Write(envelope);
                        if (written == 0)
                        {
                            _tracker?.Settled(_transport.LocalAddress, RemoteAddress);
                        }

                        bytes += written;
                    }

                    ok = await connection.FlushAsync();
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionAbortedException or ArgumentOutOfRangeException)
                {
                    // The connection is gone. ArgumentOutOfRangeException: a write raced the connection's
                    // abort, which returned the pipe's buffers under the writer (seen when a silo stops).
                    ok = false;
                }

                if (!ok)
                {
                    connection.Abort();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task<FramedConnection?> DialAsync()
    {
        if (!Dialable || _transport.Now < _nextDial || _stop.IsCancellationRequested)
        {
            return null;
        }

        var connection = await _transport.DialAsync(RemoteAddress, _stop.Token);
        if (connection is null)
        {
            _nextDial = _transport.Now + _backoff;
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _transport.Options.MaxReconnectBackoff.Ticks));
            return null;
        }

        _backoff = _transport.Options.InitialReconnectBackoff;
        TryAttach(connection, dialable: true);
        return Current();
    }

    /// <summary>Hands what is queued to the silo that last passed on the remote node's traffic; false when there is none connected.</summary>
    private bool TryRelayQueued()
    {
        if (_transport.RelayFor(RemoteAddress) is not { } relay)
        {
            return false;
        }

        while (_queue.TryRead(out var envelope))
        {
            relay.Forward(envelope);
            _tracker?.Settled(_transport.LocalAddress, RemoteAddress);
        }

        return true;
    }

    private void DropQueued(string reason)
    {
        int count = 0;
        while (_queue.TryRead(out _))
        {
            count++;
        }

        if (count > 0)
        {
            _tracker?.Settled(_transport.LocalAddress, RemoteAddress, count);
            _transport.Log.Dropped(_transport.LocalAddress, RemoteAddress, count, reason);
        }
    }
}

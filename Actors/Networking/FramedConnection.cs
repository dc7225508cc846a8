using System.Buffers;
using Google.Protobuf;
using Microsoft.AspNetCore.Connections;
using TinyKv.Actors.Runtime;
using TinyKv.Actors.Wire;

namespace TinyKv.Actors.Networking;

/// <summary>
/// One TCP connection after its handshake, identical for accepted (Kestrel) and dialed (sockets)
/// connections. Its read loop hands every envelope to the transport's receiver; a frame over the
/// maximum size, a payload that is not an Envelope, an envelope claiming another sender, or a stream
/// that ends inside a frame closes this connection only, with a logged reason. Writes come from one
/// <see cref="PeerLink"/> pump at a time: <see cref="Write"/> buffers, <see cref="FlushAsync"/> sends.
/// </summary>
internal sealed class FramedConnection
{
    private readonly ConnectionContext _context;
    private readonly TcpMessageTransport _transport;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This end as the handshake named it to the peer: a sender the connection implies.</summary>
    private readonly SiloAddress _local;

    /// <summary>The wire form of <see cref="Peer"/>, put back into envelopes that left their sender implied.</summary>
    private readonly SiloAddressProto _peerProto;

    /// <summary>The wire form of this end, put back into requests that left their target implied.</summary>
    private readonly SiloAddressProto _localProto;

    /// <summary>Interface names interned on this connection, both directions (used by the writer and the read loop, each on its own side).</summary>
    private readonly InterfaceNameTable _interfaces = new();

    public FramedConnection(ConnectionContext context, TcpMessageTransport transport, SiloAddress peer, bool inbound, bool peerIsClient)
    {
        _context = context;
        _transport = transport;
        _local = transport.LocalAddress;
        _peerProto = EnvelopeCodec.Write(peer);
        _localProto = EnvelopeCodec.Write(_local);
        Peer = peer;
        Inbound = inbound;
        PeerIsClient = peerIsClient;
    }

    public SiloAddress Peer { get; }

    public bool Inbound { get; }

    /// <summary>A cluster client may only send as itself; a silo also passes on calls of other nodes (forwarding).</summary>
    public bool PeerIsClient { get; }

    /// <summary>Completes when the read loop ended (the connection is unusable from then on).</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>
    /// Buffers one frame; returns its size, or 0 when the envelope is above the maximum frame size
    /// and was not written. Addresses the connection already names are left out of the frame (the
    /// envelope belongs to the transport once sent, so it is changed in place): the sender when it
    /// is this end, and a call's target when it is the other end. The reader puts the sender back, and a
    /// request's target (flagged <c>target_implied</c>, since a request without a target asks the
    /// receiver to route); a response needs no target, since the connection reaches exactly the
    /// incarnation the handshake named.
    /// </summary>
    public int Write(Envelope envelope)
    {
        if (envelope.Sender is { } sender && EnvelopeCodec.Is(sender, _local))
        {
            envelope.Sender = null;
        }

        if (envelope.Kind is EnvelopeKind.Response or EnvelopeKind.Request or EnvelopeKind.OneWay && envelope.TargetSilo is { } target && EnvelopeCodec.Is(target, Peer))
        {
            envelope.TargetSilo = null;
            envelope.TargetImplied = envelope.Kind != EnvelopeKind.Response;
        }

        bool defined = envelope.Kind is EnvelopeKind.Request or EnvelopeKind.OneWay && _interfaces.Intern(envelope);
        int size = envelope.CalculateSize();
        if (size > _transport.Options.MaxFrameSize)
        {
            if (defined)
            {
                // A number is defined only by a frame that is written.
                _interfaces.Undefine(envelope.InterfaceType);
            }

            _transport.Log.FrameTooLargeToSend(_transport.LocalAddress, Peer, size, _transport.Options.MaxFrameSize);
            return 0;
        }

        return FrameCodec.Write(_context.Transport.Output, envelope, size);
    }

    /// <summary>Sends everything buffered; false when the connection is gone.</summary>
    public async ValueTask<bool> FlushAsync()
    {
        var result = await _context.Transport.Output.FlushAsync();
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>
    /// Reads frames until the peer closes or breaks the protocol. The loop runs with an empty execution
    /// context: nothing of whoever opened the connection (the call context of the turn whose call dialed
    /// it, the accepting server's logging scope) flows into the turns and the callers it starts.
    /// </summary>
    public Task RunReaderAsync(IEnvelopeReceiver receiver)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => ReadFramesAsync(receiver));
        }
    }

    private async Task ReadFramesAsync(IEnvelopeReceiver receiver)
    {
        var input = _context.Transport.Input;
        int max = _transport.Options.MaxFrameSize;
        string? violation = null;
        try
        {
            while (violation is null)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                using (ReadLoopDispatch.Enter())
                {
                    violation = Drain(ref buffer, max, receiver);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (violation is null && (result.IsCompleted || result.IsCanceled))
                {
                    if (!buffer.IsEmpty)
                    {
                        violation = $"the stream ended inside a frame ({buffer.Length} bytes left)";
                    }

                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException or InvalidOperationException)
        {
            _transport.Log.Disconnected(_transport.LocalAddress, Peer);
        }
        finally
        {
            if (violation is not null)
            {
                _transport.CountViolation();
                _transport.Log.ProtocolViolation(_transport.LocalAddress, Peer.ToString(), violation);
            }

            Abort();
            _transport.Tracker?.HopClosed(Peer, _transport.LocalAddress);
            _closed.TrySetResult();
        }
    }

    /// <summary>Closes the socket at once; pending writes are lost.</summary>
    public void Abort() => _context.Abort(new ConnectionAbortedException("closed by the transport"));

    private string? Drain(ref ReadOnlySequence<byte> buffer, int max, IEnvelopeReceiver receiver)
    {
        while (true)
        {
            switch (FrameCodec.TryRead(ref buffer, max, out var payload, out int length))
            {
                case FrameStatus.NeedMore:
                    return null;
                case FrameStatus.TooLarge:
                    return $"frame length {length} is outside 0..{max}";
            }

            Envelope envelope;
            try
            {
                envelope = Envelope.Parser.ParseFrom(payload);
            }
            catch (InvalidProtocolBufferException e)
            {
                return $"a frame of {length} bytes is not an envelope ({e.Message})";
            }

            if (_interfaces.Restore(envelope) is { } badInterface)
            {
                return badInterface;
            }

            if (envelope.TargetImplied)
            {
                envelope.TargetImplied = false;
                envelope.TargetSilo = _localProto;
            }

            if (envelope.Sender is not { } sender)
            {
                envelope.Sender = _peerProto;
            }
            else if (sender.Port != Peer.Port || sender.Generation != Peer.Generation || !string.Equals(sender.Host, Peer.Host, StringComparison.Ordinal))
            {
                if (PeerIsClient)
                {
                    return $"an envelope claims sender {sender}, the handshake said {Peer}";
                }

                _transport.LearnRoute(sender, Peer);
            }

            if (!_transport.TryRelay(envelope))
            {
                receiver.OnEnvelope(envelope);
            }

            _transport.Tracker?.Settled(Peer, _transport.LocalAddress);
        }
    }
}
